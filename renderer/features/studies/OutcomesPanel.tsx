import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { decodeTableText } from '../../../core/tables/decodeTableText';
import { formatBytes } from '../../../core/tables/readCsvTable';
import { maxTableBytes } from '../../../core/tables/tableLimits';
import type {
  OutcomeAnalysis,
  OutcomeGrouping,
  OutcomesImported,
  ReaderClient,
  StudyOverview,
} from '../../../core/ipc/contract';
import {
  outcomeEndpointDefinitions,
  outcomeEndpointKeys,
  type OutcomeEndpoint,
} from '../../../core/outcomes/outcomeEndpoints';
import { outcomesCsvColumns } from '../../../core/outcomes/parseOutcomesCsv';
import type { EndpointComparison, SurvivalGroupEstimate } from '../../../core/outcomes/survivalComparison';
import { fixed, formatMonths, formatP, formatTimestamp } from '../../../core/report/format';
import {
  outcomeGroupingName,
  outcomeGroupNames,
  outcomeKmCurves,
  plottedGroupings,
} from '../../../core/report/renderOutcomesHtml';
import { kmPlot } from '../../../core/report/svg/kmPlot';
import { noteLetter } from '../../../core/report/reportHtmlParts';
import { errorMessage } from '../../api/messages';

type Analysis =
  | { state: 'loading' }
  | { state: 'none' }
  | { state: 'ready'; analysis: OutcomeAnalysis }
  | { state: 'error'; message: string };
type Imported = { ok: true; value: OutcomesImported } | { ok: false; message: string; problems: string[] };

/** An SVG string as an image (the renderer's CSP allows data: images, not inline markup). */
const svgImage = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/**
 * The problems of a refused file, one per line: the service sends them in one sentence
 * ("The outcomes file has 3 problems: line 2 (C-9): …; line 4 (C-2): …"; `OutcomesCsvError`).
 */
export function outcomesProblems(message: string): { summary: string; problems: string[] } {
  const m = /^(The outcomes file has \d+ problems?(?: \(the first \d+ listed\))?):\s*([\s\S]*)$/.exec(message);
  if (!m) return { summary: message, problems: [] };
  return { summary: `${m[1]}:`, problems: m[2]!.split(/; (?=(?:line \d+|header)\b)/) };
}

/** Letters for the footnotes of one table, each distinct text once. */
function createNotes() {
  const texts: string[] = [];
  return {
    texts,
    ref(text: string): string {
      let i = texts.indexOf(text);
      if (i < 0) i = texts.push(text) - 1;
      return noteLetter(i);
    },
  };
}
type NoteBook = ReturnType<typeof createNotes>;

// The cells are built by plain calls, not as child components, so every footnote is registered
// while the table renders and the list under it is complete.
function notEstimable(notes: NoteBook, reason: string) {
  return (
    <span className="muted" title={reason}>
      n.e.<sup>{notes.ref(reason)}</sup>
    </span>
  );
}

function median(est: SurvivalGroupEstimate, notes: NoteBook) {
  const m = est.median;
  if (m.time === null) return notEstimable(notes, est.medianReason ?? 'Not estimable for these data.');
  const limit = (v: number | null, which: 'lower' | 'upper') =>
    v === null
      ? notEstimable(
          notes,
          which === 'lower'
            ? 'Lower 95 % limit not estimable (the estimate reaches 0 before the upper confidence curve falls to 50 %).'
            : 'Upper 95 % limit not reached (the lower confidence curve does not fall to 50 % by the last follow-up).',
        )
      : formatMonths(v);
  return (
    <>
      <strong>{formatMonths(m.time)}</strong>{' '}
      <span className="muted">
        ({limit(m.lower, 'lower')} to {limit(m.upper, 'upper')})
      </span>
    </>
  );
}

function comparisonCells(e: EndpointComparison, notes: NoteBook) {
  return (
    <>
      <td className="mono st-num">
        {e.nPositive} / {e.nNegative}
      </td>
      <td className="mono">{median(e.positive, notes)}</td>
      <td className="mono">{median(e.negative, notes)}</td>
      <td className="mono st-num">
        {e.medianDifference.estimable
          ? formatMonths(e.medianDifference.time)
          : notEstimable(notes, e.medianDifference.reason)}
      </td>
      <td className="mono st-num">
        {e.logRank.estimable ? formatP(e.logRank.p) : notEstimable(notes, e.logRank.reason)}
      </td>
    </>
  );
}

/** One grouping kind's table for one endpoint: the compact form of the report's survival tables. */
function SurvivalTable({
  analysis,
  kind,
  endpoint,
}: {
  analysis: OutcomeAnalysis;
  kind: 'letb' | 'criteria';
  endpoint: OutcomeEndpoint;
}) {
  const rows = analysis.groupings.filter((g) => (kind === 'letb' ? g.kind === 'letb' : g.kind !== 'letb'));
  if (rows.length === 0) return null;
  // LETB groupings carry a reader when the readers measured LETB in their blinded reads.
  const byReader = kind === 'letb' && rows.some((g) => g.reader !== null);
  if (kind === 'letb' && rows.every((g) => g.comparison.nPositive + g.comparison.nNegative === 0)) {
    return (
      <p className="hint" data-testid="outcomes-no-letb">
        No case with outcomes has a change of LETB from the baseline to the first follow-up (
        {byReader ? "in any reader's read" : 'place the ROIs on the LETB screen'}), so there is no survival table by
        LETB
        {rows[0]!.leftOut.length > 0
          ? `: ${rows[0]!.leftOut.map((x) => `${x.caseCode} (${x.reason})`).join('; ')}`
          : ''}
        .
      </p>
    );
  }
  const notes = createNotes();
  const names = outcomeGroupNames(rows[0]!);
  const leftOut = (g: OutcomeGrouping) =>
    g.leftOut.length === 0
      ? null
      : `${g.leftOut.length} case${g.leftOut.length === 1 ? '' : 's'} in neither group: ${g.leftOut.map((x) => `${x.caseCode} (${x.reason})`).join('; ')}.`;
  const body = rows.map((g) => {
    const out = leftOut(g);
    const index = analysis.groupings.indexOf(g);
    return (
      <tr key={index} data-testid="outcomes-row" data-grouping={g.key} data-reader={g.reader?.displayName ?? ''}>
        <th scope="row" className="st-grouping">
          {g.kind === 'letb'
            ? `< ${fixed(g.thresholdPercent ?? 0, 1)} %${g.reader ? `, ${g.reader.displayName}` : ''}`
            : outcomeGroupingName(g)}
          {out && <sup title={out}>{notes.ref(out)}</sup>}
        </th>
        {comparisonCells(g.comparison.endpoints[endpoint], notes)}
      </tr>
    );
  });
  return (
    <>
      <table className="table st-outcomes-table" data-testid="outcomes-table" data-kind={kind}>
        <caption>
          {kind === 'letb'
            ? `By the change of LETB (baseline to the first follow-up${byReader ? ", from each reader's ROI placements, per reader" : ''}): responder when below the threshold`
            : 'By objective response (best overall response CR or PR), per reader'}
        </caption>
        <thead>
          <tr>
            <th scope="col">
              {kind === 'letb' ? `Responder if ΔLETB${byReader ? ', reader' : ''}` : 'Criteria, reader'}
            </th>
            <th scope="col" className="st-num">
              N+ / N−
            </th>
            <th scope="col">Median, {names.positive.toLowerCase()} (95 % CI)</th>
            <th scope="col">Median, {names.negative.toLowerCase()} (95 % CI)</th>
            <th scope="col" className="st-num">
              Difference
            </th>
            <th scope="col" className="st-num">
              Log-rank P
            </th>
          </tr>
        </thead>
        <tbody>{body}</tbody>
      </table>
      {notes.texts.length > 0 && (
        <ol className="st-notes small" data-testid="outcomes-notes">
          {notes.texts.map((t, i) => (
            <li key={i}>
              <sup>{noteLetter(i)}</sup> {t}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function AnalysisView({ analysis }: { analysis: OutcomeAnalysis }) {
  const [endpoint, setEndpoint] = useState<OutcomeEndpoint>('overallSurvival');
  const definition = analysis.endpoints.find((e) => e.endpoint === endpoint);
  const plotted = plottedGroupings(analysis);
  return (
    <div data-testid="outcomes-analysis">
      <p className="hint">
        {analysis.cases} case{analysis.cases === 1 ? '' : 's'} with outcomes, imported{' '}
        {formatTimestamp(analysis.importedAt)} (file SHA-256{' '}
        <span className="mono">{analysis.sourceSha256.slice(0, 12)}…</span>)
        {analysis.casesWithoutOutcome.length > 0 &&
          `; without an outcome, in no analysis: ${analysis.casesWithoutOutcome.join(', ')}`}
        . Kaplan–Meier medians in months from the baseline exam with 95 % CI, their difference (first minus second
        group) and the log-rank P; n.e., not estimable (the reason is in the note). The exported report has every
        endpoint side by side.
      </p>
      <label className="st-outcomes-endpoint">
        Endpoint{' '}
        <select
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value as OutcomeEndpoint)}
          data-testid="outcomes-endpoint"
        >
          {analysis.endpoints.map((e) => (
            <option key={e.endpoint} value={e.endpoint}>
              {e.label}
            </option>
          ))}
        </select>
      </label>
      {definition && <p className="hint st-outcomes-definition">{definition.definition}</p>}
      <SurvivalTable analysis={analysis} kind="letb" endpoint={endpoint} />
      <SurvivalTable analysis={analysis} kind="criteria" endpoint={endpoint} />
      {plotted.length > 0 && (
        <>
          <h3>Kaplan–Meier curves: {definition?.label.toLowerCase() ?? endpoint}</h3>
          <div className="st-plots">
            {plotted.map(({ index, grouping: g }) => {
              const e = g.comparison.endpoints[endpoint];
              const name = outcomeGroupingName(g);
              return (
                <figure key={index} className="st-plot" data-testid="outcomes-km" data-grouping={g.key}>
                  <img
                    alt={`Kaplan–Meier curves of ${definition?.label.toLowerCase() ?? endpoint} by ${name}`}
                    src={svgImage(
                      kmPlot(outcomeKmCurves(g, endpoint), {
                        title: `${definition?.label ?? endpoint} by ${name}`,
                        timeLabel: 'Months since the baseline exam',
                        survivalLabel: 'Probability',
                        width: 360,
                        height: 280,
                        legend: 'below',
                      }),
                    )}
                  />
                  <figcaption>
                    {name} ({e.logRank.estimable ? `log-rank P ${formatP(e.logRank.p)}` : 'log-rank test not estimable'}
                    )
                  </figcaption>
                </figure>
              );
            })}
          </div>
          <p className="hint small">
            Curves{' '}
            {plotted.some((x) => x.grouping.kind === 'letb') ? 'for the LETB thresholds −25.8 % and −10 % and ' : ''}for
            the first reader; every grouping&apos;s curve is in agreement.json of the exported report.
          </p>
        </>
      )}
    </div>
  );
}

function ImportedSummary({ value }: { value: OutcomesImported }) {
  return (
    <div className="ok small" data-testid="outcomes-result">
      <p>
        Imported the outcomes of {value.cases} case{value.cases === 1 ? '' : 's'} at {formatTimestamp(value.importedAt)}{' '}
        (replacing any earlier import).
        {value.casesWithoutRow.length > 0 &&
          ` No row for ${value.casesWithoutRow.join(', ')}: ${value.casesWithoutRow.length === 1 ? 'that case is' : 'those cases are'} in no analysis.`}
      </p>
      <ul className="st-outcomes-events">
        {outcomeEndpointKeys.map((k) => (
          <li key={k}>
            {outcomeEndpointDefinitions[k].label}: {value.endpoints[k].events} event
            {value.endpoints[k].events === 1 ? '' : 's'}, {value.endpoints[k].censored} censored
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Outcomes of an unblinded study (coordinator; SPEC §5): what the outcomes CSV holds and how the
 * endpoints are defined, the file import (every problem of a refused file listed), and survival
 * by LETB threshold and by RECIST 1.1 / mRECIST objective response with Kaplan–Meier curves.
 */
export function OutcomesPanel({ client, overview }: { client: ReaderClient; overview: StudyOverview }) {
  const studyId = overview.study.id;
  const [analysis, setAnalysis] = useState<Analysis>({ state: 'loading' });
  const [imported, setImported] = useState<Imported | undefined>();
  const [busy, setBusy] = useState(false);

  const loadAnalysis = useCallback(async () => {
    const res = await client.getOutcomeAnalysis({ studyId });
    if (res.ok) setAnalysis({ state: 'ready', analysis: res.value });
    else if (res.error.code === 'NOT_FOUND') setAnalysis({ state: 'none' });
    else setAnalysis({ state: 'error', message: errorMessage('Computing the survival analysis', res.error) });
  }, [client, studyId]);

  useEffect(() => {
    void loadAnalysis();
  }, [loadAnalysis]);

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setImported(undefined);
    const refuse = (message: string) => {
      input.value = '';
      setBusy(false);
      setImported({ ok: false, message, problems: [] });
    };
    if (file.size > maxTableBytes.outcomes) {
      refuse(
        `${file.name} was not imported: an outcomes file may have at most ${formatBytes(maxTableBytes.outcomes)} (one row per case); this one has ${formatBytes(file.size)}.`,
      );
      return;
    }
    let csv: string;
    try {
      // Strict UTF-8: a Latin-1 file is refused with the line and column of its first bad byte,
      // never decoded with replacement characters (which would make two names one).
      csv = decodeTableText(new Uint8Array(await file.arrayBuffer()));
    } catch (err) {
      if (err instanceof InputDataError) refuse(`${file.name} was not imported: ${err.message}`);
      else refuse(`The file ${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const res = await client.importOutcomes({ studyId, csv });
    // Let the same file be chosen again after it is fixed.
    input.value = '';
    if (res.ok) {
      setImported({ ok: true, value: res.value });
      await loadAnalysis();
    } else {
      const { summary, problems } =
        res.error.code === 'INVALID_INPUT'
          ? outcomesProblems(res.error.message)
          : { summary: errorMessage('Importing the outcomes', res.error), problems: [] };
      setImported({ ok: false, message: `${file.name} was not imported. ${summary}`, problems });
    }
    setBusy(false);
  }

  const exampleCase = overview.reads[0]?.caseCode ?? 'C-001';
  return (
    <section className="panel" data-testid="outcomes-panel" aria-labelledby="outcomes-heading">
      <h2 id="outcomes-heading">Outcomes</h2>
      <p className="hint">
        Import the patients&apos; event dates to compare survival between responders and non-responders. The file is a
        CSV in UTF-8 (at most {formatBytes(maxTableBytes.outcomes)}) with a header row and one row per case; a new
        import replaces the previous one. Export the agreement report again afterwards to put the survival tables and
        curves in report.pdf.
      </p>
      <details className="st-outcomes-help" data-testid="outcomes-help" open={analysis.state === 'none'}>
        <summary>The CSV columns and the endpoints</summary>
        <table className="table st-outcomes-columns">
          <tbody>
            <tr>
              <th scope="row" className="mono">
                case_code
              </th>
              <td>
                The study&apos;s case code (as in the cases table), one row per case. Cases without a row are in no
                analysis.
              </td>
            </tr>
            <tr>
              <th scope="row" className="mono">
                last_followup_date
              </th>
              <td>Required. The date of death, or the last date the patient was known to be alive.</td>
            </tr>
            <tr>
              <th scope="row" className="mono">
                death
              </th>
              <td>1 (died on last_followup_date) or 0 (alive then); yes/no and true/false are read too.</td>
            </tr>
            <tr>
              <th scope="row" className="mono">
                hepatic_progression_date
              </th>
              <td>Date of progression in the liver; empty if none.</td>
            </tr>
            <tr>
              <th scope="row" className="mono">
                progression_date
              </th>
              <td>Date of progression anywhere (whole body); empty if none.</td>
            </tr>
            <tr>
              <th scope="row" className="mono">
                untreatable_progression_date
              </th>
              <td>Date the disease progressed beyond treatment; empty if none.</td>
            </tr>
          </tbody>
        </table>
        <p className="hint">
          Dates are YYYY-MM-DD (YYYYMMDD is read too), none before the case&apos;s baseline exam and no event after
          last_followup_date. Times are counted in months (days / 30.4375) from the baseline exam. Example:
        </p>
        <pre className="st-outcomes-example mono">{`${outcomesCsvColumns.join(',')}\n${exampleCase},2024-06-30,1,2024-02-10,2024-02-10,2024-05-02`}</pre>
        <dl className="st-outcomes-endpoints">
          {outcomeEndpointKeys.map((k) => (
            <div key={k}>
              <dt>{outcomeEndpointDefinitions[k].label}</dt>
              <dd>{outcomeEndpointDefinitions[k].definition}</dd>
            </div>
          ))}
        </dl>
      </details>
      <label className="st-outcomes-file">
        Outcomes CSV:{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => void importFile(e)}
          disabled={busy}
          data-testid="outcomes-file"
        />
      </label>
      {busy && <p className="muted">Importing…</p>}
      {imported?.ok && <ImportedSummary value={imported.value} />}
      {imported && !imported.ok && (
        <div className="error" role="alert" data-testid="outcomes-error">
          <p>{imported.message}</p>
          {imported.problems.length > 0 && (
            <ul className="st-outcomes-problems">
              {imported.problems.map((p, i) => (
                <li key={i} data-testid="outcomes-problem">
                  {p}
                </li>
              ))}
            </ul>
          )}
          <p className="small">Nothing was stored: fix the file and choose it again.</p>
        </div>
      )}
      {analysis.state === 'loading' && <p className="muted">Loading the survival analysis…</p>}
      {analysis.state === 'none' && (
        <p className="hint" data-testid="outcomes-none">
          No outcomes have been imported for this study yet.
        </p>
      )}
      {analysis.state === 'error' && (
        <p className="error" role="alert" data-testid="outcomes-analysis-error">
          {analysis.message}
        </p>
      )}
      {analysis.state === 'ready' && <AnalysisView analysis={analysis.analysis} />}
    </section>
  );
}
