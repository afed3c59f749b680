import { Fragment, useEffect, useState } from 'react';
import type { ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import type { ItemAgreement } from '../../../core/agreement/itemAgreement';
import type { StudyReport } from '../../../core/report/studyReport';
import { confusionHeatmap } from '../../../core/report/svg/confusionHeatmap';
import { blandAltmanPlot } from '../../../core/report/svg/blandAltmanPlot';
import { waterfallPlot } from '../../../core/report/svg/waterfallPlot';
import { reportItemUnit } from '../../../core/report/renderReportHtml';
import { errorMessage } from '../../api/messages';

type Load = { state: 'loading' } | { state: 'ready'; report: StudyReport } | { state: 'error'; message: string };
type Written = { ok: true; dir: string; files: { name: string; path: string; sha256: string }[] } | { ok: false; message: string };

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
const ci = (c: [number, number] | null, digits = 2) => (c ? `${c[0].toFixed(digits)} to ${c[1].toFixed(digits)}` : '');
/** An SVG string as an image (the renderer's CSP allows data: images, not inline markup). */
const svgImage = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** What an item is, in words: the protocol question's label, or the computed category. */
function itemLabel(report: StudyReport, it: ItemAgreement): string {
  const q = report.study.protocol.items.find((x) => x.id === it.item);
  const m = /^(m?recist)\.(\w+)$/.exec(it.item);
  const base = q ? q.label : m ? `${m[1] === 'recist' ? 'RECIST 1.1' : 'mRECIST'} ${m[2]!.replaceAll('_', ' ')}` : it.item;
  return it.timepoint === null || it.timepoint === '' ? base : `${base} (${it.timepoint === '0' ? 'baseline' : `follow-up ${it.timepoint}`})`;
}

/**
 * The agreement of an unblinded study (coordinator): kappa with CI and band, weighted kappa for
 * ordinal items, percent agreement, confusion heatmaps, ICC and Bland-Altman for continuous
 * measures, the RECIST-vs-mRECIST cross-table and the waterfall; and the one-action report export.
 */
export function AgreementPanel({ client, overview }: { client: ReaderClient; overview: StudyOverview }) {
  const studyId = overview.study.id;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [identity, setIdentity] = useState(false);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<Written | undefined>();

  useEffect(() => {
    let live = true;
    void client.getStudyAgreement({ studyId }).then((res) => {
      if (live) setLoad(res.ok ? { state: 'ready', report: res.value } : { state: 'error', message: errorMessage('Computing the agreement', res.error) });
    });
    return () => {
      live = false;
    };
  }, [client, studyId, overview]);

  async function exportReport() {
    setBusy(true);
    setWritten(undefined);
    const res = await client.exportStudyReport({ studyId, includeIdentity: identity });
    setBusy(false);
    setWritten(res.ok ? { ok: true, ...res.value } : { ok: false, message: errorMessage('Writing the report', res.error) });
  }

  return (
    <section className="panel" data-testid="agreement-panel">
      <h2>Agreement</h2>
      <div className="st-agreement-export">
        <button type="button" onClick={() => void exportReport()} disabled={busy || load.state !== 'ready'} data-testid="report-export">
          {busy ? 'Writing the report…' : 'Export the agreement report'}
        </button>
        <label className="st-identity-option">
          <input type="checkbox" checked={identity} onChange={(e) => setIdentity(e.target.checked)} data-testid="report-identity" /> Include patient identity (a case → patient table; leave off for anything that leaves the team)
        </label>
      </div>
      {written?.ok && (
        <div className="ok small" data-testid="report-written">
          Written to <span className="mono">{written.dir}</span>: {written.files.map((f) => f.name).join(', ')}
        </div>
      )}
      {written && !written.ok && (
        <p className="error" role="alert" data-testid="report-error">
          {written.message}
        </p>
      )}
      {load.state === 'loading' && <p className="muted">Computing…</p>}
      {load.state === 'error' && (
        <p className="error" role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'ready' && <AgreementTables report={load.report} />}
    </section>
  );
}

function AgreementTables({ report }: { report: StudyReport }) {
  const categorical = report.agreement.filter((a) => a.scale !== 'continuous');
  const continuous = report.agreement.filter((a) => a.scale === 'continuous');
  return (
    <>
      <p className="hint">
        {report.cases} cases, readers {report.study.readers.join(', ')}. Kappa with its 95 % CI (Fleiss, Cohen &amp; Everitt) and Landis-Koch band; ICC(2,1) is the two-way random, absolute-agreement, single-reader form.
      </p>
      <table className="table st-agreement-table" data-testid="agreement-table">
        <thead>
          <tr>
            <th>Item</th>
            <th>n</th>
            <th>Kappa [95 % CI]</th>
            <th>Band</th>
            <th>Weighted κ linear / quadratic</th>
            <th>% agreement</th>
          </tr>
        </thead>
        <tbody>
          {categorical.map((a) => (
            <tr key={`${a.item}@${a.timepoint}`} data-testid="agreement-row" data-item={a.item} data-timepoint={a.timepoint ?? ''}>
              <td>{itemLabel(report, a)}</td>
              <td>{a.n}</td>
              <td className="mono">
                {a.kappa === null && a.fleissKappa === null ? (
                  <span className="muted" title={a.reason ?? ''}>
                    not estimable
                  </span>
                ) : (
                  <>
                    {fmt(a.kappa ?? a.fleissKappa)} <span className="muted">{ci(a.kappaCi)}</span>
                  </>
                )}
              </td>
              <td>{a.band ?? ''}</td>
              <td className="mono">{a.weightedKappaLinear === null ? '' : `${fmt(a.weightedKappaLinear)} / ${fmt(a.weightedKappaQuadratic)}`}</td>
              <td className="mono">{fmt(a.percentAgreement, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {continuous.length > 0 && (
        <table className="table st-agreement-table" data-testid="icc-table">
          <thead>
            <tr>
              <th>Measure</th>
              <th>n</th>
              <th>ICC(2,1) [95 % CI]</th>
              <th>ICC(3,1)</th>
              <th>Bland-Altman bias [limits]</th>
            </tr>
          </thead>
          <tbody>
            {continuous.map((a) => (
              <tr key={`${a.item}@${a.timepoint}`}>
                <td>{itemLabel(report, a)}</td>
                <td>{a.n}</td>
                <td className="mono">
                  {a.icc?.ICC2.value === null || !a.icc ? <span className="muted">{a.reason ?? a.icc?.ICC2.reason ?? 'not estimable'}</span> : `${fmt(a.icc.ICC2.value)} ${ci(a.icc.ICC2.ci)}`}
                </td>
                <td className="mono">{a.icc ? fmt(a.icc.ICC3.value) : ''}</td>
                <td className="mono">{a.blandAltman?.bias == null ? '' : `${fmt(a.blandAltman.bias, 1)} [${fmt(a.blandAltman.lowerLimit, 1)}, ${fmt(a.blandAltman.upperLimit, 1)}]`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Confusion tables</h3>
      <div className="st-plots">
        {categorical
          .filter((a) => a.confusion)
          .map((a) => (
            <figure key={`${a.item}@${a.timepoint}`} className="st-plot">
              <img alt={`Confusion table of ${itemLabel(report, a)}`} src={svgImage(confusionHeatmap(a.confusion!.levels, a.confusion!.counts, a.confusion!.rowRater, a.confusion!.columnRater))} />
              <figcaption>{itemLabel(report, a)}</figcaption>
            </figure>
          ))}
        {report.crossTables.map((t) => (
          <figure key={t.reader} className="st-plot" data-testid="criteria-cross-table">
            <img alt={`RECIST 1.1 against mRECIST, ${t.reader}`} src={svgImage(confusionHeatmap(t.levels, t.counts, 'RECIST 1.1', 'mRECIST'))} />
            <figcaption>RECIST 1.1 vs mRECIST (follow-up 1), {t.reader}</figcaption>
          </figure>
        ))}
      </div>
      {report.blandAltman.length > 0 && <h3>Bland-Altman</h3>}
      <div className="st-plots">
        {report.blandAltman.map((b) => {
          const a = continuous.find((x) => x.item === b.item && x.timepoint === b.timepoint)?.blandAltman;
          if (!a || a.bias === null || a.lowerLimit === null || a.upperLimit === null) return <Fragment key={`${b.item}@${b.timepoint}`} />;
          return (
            <figure key={`${b.item}@${b.timepoint}`} className="st-plot">
              <img alt={`Bland-Altman plot of ${b.item}`} src={svgImage(blandAltmanPlot(b, a.bias, a.lowerLimit, a.upperLimit, reportItemUnit(report.study.protocol, b.item)))} />
              <figcaption>{itemLabel(report, continuous.find((x) => x.item === b.item && x.timepoint === b.timepoint)!)}</figcaption>
            </figure>
          );
        })}
      </div>
      <h3>Waterfall</h3>
      <div className="st-plots">
        <figure className="st-plot st-plot-wide">
          <img alt="Change of the RECIST 1.1 sum per case and reader" src={svgImage(waterfallPlot(report.sumWaterfall, [-30, 20]))} />
          <figcaption>Change of the RECIST 1.1 sum from the baseline (follow-up 1), per case and reader</figcaption>
        </figure>
        {report.letbWaterfall.length > 0 && (
          <figure className="st-plot st-plot-wide">
            <img alt="Change of LETB per case" src={svgImage(waterfallPlot(report.letbWaterfall, [-25.8]))} />
            <figcaption>ΔLETB from the baseline per case</figcaption>
          </figure>
        )}
      </div>
    </>
  );
}
