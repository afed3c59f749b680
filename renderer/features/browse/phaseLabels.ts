import type { Phase } from '../../../core/phases/recognizePhases';

export const phaseLabels: Record<Phase, string> = {
  precontrast: 'Precontrast',
  arterial: 'Late arterial',
  portal_venous: 'Portal venous',
  other: 'Other',
};
