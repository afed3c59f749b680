import type { MaskChecks } from '../../../core/masks/maskChecks';
import { describeReferenceMismatches } from '../../../core/masks/segReferenceMismatches';

/** What a mask's checks found, in a few words and in full sentences. */
function maskChecksText(
  checks: MaskChecks | null,
  scope: 'full' | 'header' = 'full',
): { status: MaskChecks['status'] | 'unchecked'; label: string; details: string[] } {
  if (!checks)
    return {
      status: 'unchecked',
      label: 'checks not recorded (attached before Concord checked masks: attach it again)',
      details: [],
    };
  const details = [
    ...(checks.overridden.length > 0 ? [`Attached although ${describeReferenceMismatches(checks.overridden)}.`] : []),
    ...checks.warnings,
  ];
  const n = checks.warnings.length;
  const warnings = `${n} warning${n === 1 ? '' : 's'}`;
  if (checks.status === 'overridden')
    return {
      status: 'overridden',
      label: `other images, attached as confirmed${n > 0 ? `; ${warnings}` : ''}`,
      details,
    };
  if (checks.status === 'warnings') return { status: 'warnings', label: warnings, details };
  return {
    status: 'ok',
    label: scope === 'header' ? 'references ok (liver volume checked when a reader first opens it)' : 'checks ok',
    details,
  };
}

/**
 * The result of a mask's checks as a coloured status (ok / warnings / overridden), with the
 * sentences behind it in the tooltip or, with `details`, listed below. For the coordinator only:
 * an override names UIDs and patient IDs.
 */
export function MaskChecksBadge({
  checks,
  scope = 'full',
  testId,
  details = false,
}: {
  checks: MaskChecks | null;
  scope?: 'full' | 'header';
  testId: string;
  details?: boolean;
}) {
  const text = maskChecksText(checks, scope);
  const tone = text.status === 'ok' ? 'ok' : text.status === 'unchecked' ? 'muted' : 'warning';
  return (
    <span
      className={`mask-checks ${tone}`}
      data-testid={testId}
      data-status={text.status}
      title={details ? undefined : text.details.join('\n') || undefined}
    >
      {text.status === 'ok' ? '✓ ' : text.status === 'unchecked' ? '' : '⚠ '}
      {text.label}
      {details && text.details.length > 0 && (
        <ul className="mask-check-details" data-testid={`${testId}-details`}>
          {text.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </span>
  );
}
