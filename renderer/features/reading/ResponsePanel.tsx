import type { ReadView } from '../../../core/ipc/contract';
import type { ResponseCriteria } from '../../../core/recist/responseCategory';
import { signedPercent } from './readingModel';

const criteriaNames: Record<ResponseCriteria, string> = { recist: 'RECIST 1.1', mrecist: 'mRECIST' };

/** The categories the main process computed from this read's answers, per criteria and follow-up. */
export function ResponsePanel({ read }: { read: ReadView }) {
  return (
    <div className="response-panel" data-testid="read-response">
      <h3>Response (computed, never typed)</h3>
      {read.protocol.criteria.map((c) => {
        const a = read.assessment[c];
        return (
          <div key={c} className="response-block" data-testid={`response-${c}`}>
            <div className="response-title">{criteriaNames[c]}</div>
            {!a || !a.estimable ? (
              <p className="muted small">{a && !a.estimable ? a.reason : 'Not computed.'}</p>
            ) : (
              <table className="table small">
                <thead>
                  <tr>
                    <th />
                    <th>Sum</th>
                    <th>vs baseline</th>
                    <th>vs nadir</th>
                    <th>Target</th>
                    <th>Overall</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{read.timepoints[0]?.label}</th>
                    <td className="mono">{a.assessment.baselineSumMm.toFixed(1)} mm</td>
                    <td colSpan={4} />
                  </tr>
                  {a.assessment.followUps.map((f) => (
                    <tr key={f.followUp} title={f.basis}>
                      <th scope="row">{read.timepoints[f.followUp]?.label}</th>
                      <td className="mono">
                        {f.sumMm === null ? `≥ ${f.measuredSumMm.toFixed(1)} mm` : `${f.sumMm.toFixed(1)} mm`}
                      </td>
                      <td className="mono">{signedPercent(f.changeFromBaselinePercent)}</td>
                      <td className="mono">{signedPercent(f.changeFromNadirPercent)}</td>
                      <td>
                        <Category value={f.targetResponse} />
                      </td>
                      <td>
                        <Category value={f.overallResponse} testId={`overall-${c}-${f.followUp}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {a?.estimable && (
              <p className="small">
                Best response <Category value={a.assessment.bestResponse} testId={`best-${c}`} /> · objective response{' '}
                {a.assessment.objectiveResponse ? 'yes' : 'no'}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}

function Category({ value, testId }: { value: string; testId?: string }) {
  return (
    <span className={`category category-${value}`} data-testid={testId}>
      {value}
    </span>
  );
}
