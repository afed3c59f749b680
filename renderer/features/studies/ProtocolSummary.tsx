import type { Protocol, ProtocolItem } from '../../../core/studies/protocol';
import { maxLiverTargets } from '../../../core/studies/readForm';
import './studies.css';

export const criteriaLabels = { recist: 'RECIST 1.1', mrecist: 'mRECIST' } as const;

/** A protocol as a coordinator reads it (no editing). */
export function ProtocolSummary({ protocol }: { protocol: Protocol }) {
  return (
    <div data-testid="protocol-summary">
      <dl className="facts">
        <dt>Response criteria</dt>
        <dd className="st-plain" data-testid="protocol-summary-criteria">
          {protocol.criteria.map((c) => criteriaLabels[c]).join(' and ')}
        </dd>
        <dt>Target lesions</dt>
        <dd className="st-plain" data-testid="protocol-summary-targets">
          up to {maxLiverTargets(protocol)} in the liver per case (at most {protocol.targets.maxTotal} in total,{' '}
          {protocol.targets.maxPerOrgan} per organ)
        </dd>
        <dt>Always asked</dt>
        <dd className="st-plain">target lesion diameters, non-target lesions, new lesions (at follow-ups)</dd>
        <dt>LETB</dt>
        <dd className="st-plain" data-testid="protocol-summary-letb">
          {protocol.letb
            ? 'each reader places three ROIs on the subtraction image of every timepoint (liver masks: the exam’s DICOM SEG or the coordinator’s)'
            : 'not measured by the readers'}
        </dd>
      </dl>
      {protocol.items.length === 0 ? (
        <p className="muted">No extra questions.</p>
      ) : (
        <table className="table" data-testid="protocol-summary-items">
          <thead>
            <tr>
              <th>Extra question</th>
              <th>Name in exports</th>
              <th>Answer</th>
              <th>Asked at</th>
            </tr>
          </thead>
          <tbody>
            {protocol.items.map((it) => (
              <tr key={it.id} data-testid="protocol-summary-item" data-item-id={it.id}>
                <td>{it.label}</td>
                <td className="mono">{it.id}</td>
                <td>{describeAnswer(it)}</td>
                <td>{it.scope === 'baseline' ? 'Baseline only' : 'Every timepoint'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function describeAnswer(it: ProtocolItem): string {
  if (it.kind === 'numeric') return `a number from ${it.min} to ${it.max}${it.unit ? ` ${it.unit}` : ''}`;
  if (it.kind === 'ordinal') return `one of, lowest to highest: ${it.levels.join(' < ')}`;
  return `one of: ${it.levels.join(', ')}`;
}
