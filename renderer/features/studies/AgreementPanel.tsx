import { Fragment, useEffect, useState } from 'react';
import type { ReaderClient, ReaderValue, StudyOverview } from '../../../core/ipc/contract';
import type { ItemAgreement } from '../../../core/agreement/itemAgreement';
import type { LetbPlacementReproducibility } from '../../../core/report/letbReproducibility';
import type { StudyReport, WaterfallBar } from '../../../core/report/studyReport';
import { confusionHeatmap } from '../../../core/report/svg/confusionHeatmap';
import { blandAltmanPlot } from '../../../core/report/svg/blandAltmanPlot';
import { waterfallPlot } from '../../../core/report/svg/waterfallPlot';
import { reportItemLabel, reportItemUnit } from '../../../core/report/renderReportHtml';
import type { IccForm } from '../../../core/stats/icc';
import { defaultResponderThresholds } from '../../../core/letb/letbChange';
import { errorMessage } from '../../api/messages';

type Load = { state: 'loading' } | { state: 'ready'; report: StudyReport } | { state: 'error'; message: string };
type Written = ({ ok: true } & ReaderValue<'exportStudyReport'>) | { ok: false; message: string };

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
const ci = (c: [number, number] | null, digits = 2) => (c ? `${c[0].toFixed(digits)} to ${c[1].toFixed(digits)}` : '');
/** An SVG string as an image (the renderer's CSP allows data: images, not inline markup). */
const svgImage = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** What an item is, in words, as the printed report names it (protocol question, computed category or sum, readers' LETB). */
const itemLabel = (report: StudyReport, it: ItemAgreement): string =>
  reportItemLabel(report.study.protocol, it.item, it.timepoint);

/** One ICC form of a reproducibility entry: "0.87 (0.84 to 0.89)", or "not estimable" with the reason on hover. */
function iccCell(r: LetbPlacementReproducibility, form: IccForm) {
  const f = r.icc.estimable ? r.icc.forms[form] : r.icc;
  if (!f.estimable) {
    return (
      <span className="muted" title={f.reason}>
        not estimable
      </span>
    );
  }
  return (
    <>
      {fmt(f.value)} <span className="muted">{ci(f.ci)}</span>
    </>
  );
}

/** The reproducibility of the readers' three LETB ROI placements, per reader and pooled (ICC(1,1) the headline). */
function ReproducibilityTable({ entries }: { entries: readonly LetbPlacementReproducibility[] }) {
  return (
    <>
      <h3>Reproducibility of the three LETB ROI placements</h3>
      <p className="hint">
        ICC(1,1), one-way random effects, single placement (the three placements of a timepoint are interchangeable),
        over the timepoints with all three placements measured, with its 95 % CI; ICC(2,1) for comparison. The exported
        report has ICC(3,1) too.
      </p>
      <table className="table st-agreement-table" data-testid="letb-reproducibility">
        <thead>
          <tr>
            <th>Reader</th>
            <th>Timepoints</th>
            <th>ICC(1,1) [95 % CI]</th>
            <th>ICC(2,1) [95 % CI]</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((r) => (
            <tr key={r.reader ?? '(all)'} data-testid="letb-reproducibility-row" data-reader={r.reader ?? ''}>
              <td>{r.reader ?? 'All readers (pooled)'}</td>
              <td>{r.targets}</td>
              <td className="mono">{iccCell(r, 'ICC1')}</td>
              <td className="mono">{iccCell(r, 'ICC2')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The ΔLETB waterfall: one per reader when the readers measured LETB, else one of the coordinator's placements. */
function LetbWaterfalls({ report }: { report: StudyReport }) {
  const bars = report.letbWaterfall;
  if (bars.length === 0) return null;
  const readers = [...report.study.readers];
  for (const b of bars) if (b.reader !== null && !readers.includes(b.reader)) readers.push(b.reader);
  const groups: { reader: string | null; bars: WaterfallBar[] }[] = bars.some((b) => b.reader !== null)
    ? readers.map((reader) => ({ reader, bars: bars.filter((b) => b.reader === reader) }))
    : [{ reader: null, bars }];
  return (
    <>
      {groups.map((g) => (
        <figure
          key={g.reader ?? '(coordinator)'}
          className="st-plot st-plot-wide"
          data-testid="letb-waterfall"
          data-reader={g.reader ?? ''}
        >
          <img
            alt={`Change of LETB per case${g.reader ? `, ${g.reader}` : ''}`}
            src={svgImage(
              waterfallPlot(g.bars, defaultResponderThresholds, {
                title: `Change of LETB at follow-up 1${g.reader ? `: ${g.reader}` : ''}`,
                yLabel: 'Change of LETB (%)',
              }),
            )}
          />
          <figcaption>
            ΔLETB from the baseline (follow-up 1) per case,{' '}
            {g.reader
              ? `${g.reader}'s ROI placements (${g.bars.length} case${g.bars.length === 1 ? '' : 's'})`
              : "coordinator's ROI placements"}
          </figcaption>
        </figure>
      ))}
    </>
  );
}

/**
 * The agreement of an unblinded study (coordinator): kappa with CI and band, weighted kappa for
 * ordinal items, percent agreement, confusion heatmaps, ICC and Bland-Altman for continuous
 * measures (the readers' LETB among them when the protocol measures it), the reproducibility of
 * the three LETB ROI placements per reader, the RECIST-vs-mRECIST cross-table and the waterfalls
 * (ΔLETB per reader); and the one-action report export.
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
      if (live)
        setLoad(
          res.ok
            ? { state: 'ready', report: res.value }
            : { state: 'error', message: errorMessage('Computing the agreement', res.error) },
        );
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
    setWritten(
      res.ok ? { ok: true, ...res.value } : { ok: false, message: errorMessage('Writing the report', res.error) },
    );
  }

  return (
    <section className="panel" data-testid="agreement-panel">
      <h2>Agreement</h2>
      <div className="st-agreement-export">
        <button
          type="button"
          onClick={() => void exportReport()}
          disabled={busy || load.state !== 'ready'}
          data-testid="report-export"
        >
          {busy ? 'Writing the report…' : 'Export the agreement report'}
        </button>
        <label className="st-identity-option">
          <input
            type="checkbox"
            checked={identity}
            onChange={(e) => setIdentity(e.target.checked)}
            data-testid="report-identity"
          />{' '}
          Include patient identity (a case → patient table; leave off for anything that leaves the team)
        </label>
      </div>
      {written?.ok && (
        <div className="ok small" data-testid="report-written">
          Written to <span className="mono">{written.dir}</span>: {written.files.map((f) => f.name).join(', ')}
          <br />
          <span className="muted" data-testid="report-audit">
            Audit trail when written: {written.auditTrail.rows} rows, head HMAC{' '}
            <span className="st-mac">{written.auditTrail.lastMac}</span> (printed in the report and agreement.json)
          </span>
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
        {report.cases} cases, readers {report.study.readers.join(', ')}. Kappa with its 95 % CI (Fleiss, Cohen &amp;
        Everitt) and Landis-Koch band; ICC(2,1) is the two-way random, absolute-agreement, single-reader form.
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
            <tr
              key={`${a.item}@${a.timepoint}`}
              data-testid="agreement-row"
              data-item={a.item}
              data-timepoint={a.timepoint ?? ''}
            >
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
              <td className="mono">
                {a.weightedKappaLinear === null
                  ? ''
                  : `${fmt(a.weightedKappaLinear)} / ${fmt(a.weightedKappaQuadratic)}`}
              </td>
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
                  {a.icc?.ICC2.value === null || !a.icc ? (
                    <span className="muted">{a.reason ?? a.icc?.ICC2.reason ?? 'not estimable'}</span>
                  ) : (
                    `${fmt(a.icc.ICC2.value)} ${ci(a.icc.ICC2.ci)}`
                  )}
                </td>
                <td className="mono">{a.icc ? fmt(a.icc.ICC3.value) : ''}</td>
                <td className="mono">
                  {a.blandAltman?.bias == null
                    ? ''
                    : `${fmt(a.blandAltman.bias, 1)} [${fmt(a.blandAltman.lowerLimit, 1)}, ${fmt(a.blandAltman.upperLimit, 1)}]`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.letbReproducibility.length > 0 && <ReproducibilityTable entries={report.letbReproducibility} />}
      <h3>Confusion tables</h3>
      <div className="st-plots">
        {categorical
          .filter((a) => a.confusion)
          .map((a) => (
            <figure key={`${a.item}@${a.timepoint}`} className="st-plot">
              <img
                alt={`Confusion table of ${itemLabel(report, a)}`}
                src={svgImage(
                  confusionHeatmap(
                    a.confusion!.levels,
                    a.confusion!.counts,
                    a.confusion!.rowRater,
                    a.confusion!.columnRater,
                  ),
                )}
              />
              <figcaption>{itemLabel(report, a)}</figcaption>
            </figure>
          ))}
        {report.crossTables.map((t) => (
          <figure key={t.reader} className="st-plot" data-testid="criteria-cross-table">
            <img
              alt={`RECIST 1.1 against mRECIST, ${t.reader}`}
              src={svgImage(confusionHeatmap(t.levels, t.counts, 'RECIST 1.1', 'mRECIST'))}
            />
            <figcaption>RECIST 1.1 vs mRECIST (follow-up 1), {t.reader}</figcaption>
          </figure>
        ))}
      </div>
      {report.blandAltman.length > 0 && <h3>Bland-Altman</h3>}
      <div className="st-plots">
        {report.blandAltman.map((b) => {
          const a = continuous.find((x) => x.item === b.item && x.timepoint === b.timepoint)?.blandAltman;
          if (!a || a.bias === null || a.lowerLimit === null || a.upperLimit === null)
            return <Fragment key={`${b.item}@${b.timepoint}`} />;
          return (
            <figure key={`${b.item}@${b.timepoint}`} className="st-plot">
              <img
                alt={`Bland-Altman plot of ${b.item}`}
                src={svgImage(
                  blandAltmanPlot(b, a.bias, a.lowerLimit, a.upperLimit, reportItemUnit(report.study.protocol, b.item)),
                )}
              />
              <figcaption>
                {itemLabel(
                  report,
                  continuous.find((x) => x.item === b.item && x.timepoint === b.timepoint)!,
                )}
              </figcaption>
            </figure>
          );
        })}
      </div>
      <h3>Waterfall</h3>
      <div className="st-plots">
        <figure className="st-plot st-plot-wide">
          <img
            alt="Change of the RECIST 1.1 sum per case and reader"
            src={svgImage(waterfallPlot(report.sumWaterfall, [-30, 20]))}
          />
          <figcaption>Change of the RECIST 1.1 sum from the baseline (follow-up 1), per case and reader</figcaption>
        </figure>
        <LetbWaterfalls report={report} />
      </div>
    </>
  );
}
