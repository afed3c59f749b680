/** Contrast phases of a liver CT exam (SPEC §1). */
export type Phase = 'precontrast' | 'arterial' | 'portal_venous' | 'other';
export const phases: readonly Phase[] = ['precontrast', 'arterial', 'portal_venous', 'other'];

export interface SeriesForPhase {
  seriesInstanceUid: string;
  modality: string;
  description: string;
  imageType: readonly string[];
  /** ContrastBolusAgent (empty when the header says nothing). */
  contrastAgent: string;
  /** ContrastBolusStartTime, DICOM TM (HHMMSS.frac) or empty. */
  contrastStartTime: string;
  /** Earliest AcquisitionTime of the series (else SeriesTime), DICOM TM or empty. */
  acquisitionTime: string;
  /** Number of images (or frames); single-image series are not phases of a volume. */
  images: number;
}

export interface PhaseGuess {
  seriesInstanceUid: string;
  phase: Phase;
  /** 0-1: how much the rule that fired is to be trusted. */
  confidence: number;
  /** Which rule fired, in words shown to the user. */
  rule: string;
}

interface Keyword {
  phase: Phase;
  pattern: RegExp;
}

/**
 * Description keywords, several languages' common words and abbreviations, matched on the
 * lower-cased, accent-stripped description split at non-letters. Order matters: "late
 * arterial" is arterial, "delayed" is other, "arterial" beats the "pv" of "pv-art".
 */
const keywords: readonly Keyword[] = [
  {
    phase: 'other',
    pattern:
      /\b(scout|topogram|localizer|localiser|surview|scanogram|dose report|mip|minip|vr|coronal|cor|sagittal|sag|bolus ?tracking|monitoring|smartprep|test ?bolus)\b/,
  },
  {
    phase: 'arterial',
    pattern:
      /\b(arterial|arteriell\w*|arteriel\w*|arteriale|arteriosa|arterieel|art|ap|hap|lap|eap|late ?arterial|hepatic ?arterial|a ?phase|phase ?a|fase ?arterial)\b/,
  },
  {
    phase: 'portal_venous',
    pattern:
      /\b(portal\w*|pv|pvp|vp|portovenous|porto ?venous|venous|venos\w*|venoes\w*|venosa|veineu\w*|portale|portalvenos\w*|pvph|fase ?portal)\b/,
  },
  {
    phase: 'other',
    pattern:
      /\b(delayed|delay|equilibrium|equ|eq|late|tardif|tardive|spat|spaet|spatphase|ritardat\w*|tardia|excretory|urographic|hepatobiliary|hbp)\b/,
  },
  {
    phase: 'precontrast',
    pattern:
      /\b(pre|precontrast|pre ?contrast|non ?contrast|noncon|ncct|unenhanced|non ?enhanced|native|nativ|nativo|plain|nc|sans ?(iv|injection|contraste)|sin ?contraste|senza ?(mdc|contrasto)|basale|blanco|ohne ?km|leeraufnahme|leer|baseline|wo|w\/o)\b/,
  },
];

function normalise(description: string): string {
  return description
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[_\-+./\\()[\]]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Seconds since midnight of a DICOM TM value (HHMMSS.FFFFFF, HH:MM:SS tolerated); NaN if unreadable. */
export function tmSeconds(tm: string): number {
  const m = /^(\d{2}):?(\d{2})?:?(\d{2})?(\.\d+)?/.exec(tm.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0);
}

/**
 * Classifies every series of one study as precontrast, late arterial, portal venous or other.
 * Rules, first that fires wins (confidence in brackets):
 * 1. not CT/MR, a localizer, or fewer than 3 images → other (0.95);
 * 2. a description keyword (0.9; 0.95 when the contrast timing agrees);
 * 3. contrast timing: AcquisitionTime − ContrastBolusStartTime ≤ 50 s → arterial,
 *    51–130 s → portal venous, more → other (0.8);
 * 4. no contrast agent in the header while other series of the study have one → precontrast (0.7);
 * 5. acquisition order of the remaining contrast series: first arterial, second portal venous (0.5).
 * Anything left is "other" (0.3). Timing windows follow SPEC §1 (arterial 30-35 s, portal 70-90 s).
 */
export function recognizePhases(series: readonly SeriesForPhase[]): PhaseGuess[] {
  const guesses = new Map<string, PhaseGuess>();
  const set = (s: SeriesForPhase, phase: Phase, confidence: number, rule: string) =>
    guesses.set(s.seriesInstanceUid, { seriesInstanceUid: s.seriesInstanceUid, phase, confidence, rule });

  const timingPhase = (s: SeriesForPhase): { phase: Phase; delayS: number } | undefined => {
    if (!s.contrastAgent || !s.contrastStartTime || !s.acquisitionTime) return undefined;
    let delayS = tmSeconds(s.acquisitionTime) - tmSeconds(s.contrastStartTime);
    if (!Number.isFinite(delayS)) return undefined;
    if (delayS < -12 * 3600) delayS += 24 * 3600; // across midnight
    if (delayS < 0) return undefined;
    return { phase: delayS <= 50 ? 'arterial' : delayS <= 130 ? 'portal_venous' : 'other', delayS };
  };

  const volumetric = series.filter((s) => {
    const isLocalizer = s.imageType.some((t) => /LOCALIZER/i.test(t));
    if (!['CT', 'MR'].includes(s.modality.toUpperCase()) || isLocalizer || s.images < 3) {
      set(
        s,
        'other',
        0.95,
        isLocalizer
          ? 'localizer image'
          : s.images < 3
            ? `only ${s.images} image(s)`
            : `modality ${s.modality || 'unknown'}`,
      );
      return false;
    }
    return true;
  });

  for (const s of volumetric) {
    const words = normalise(s.description);
    const hit = keywords.find((k) => k.pattern.test(words));
    if (!hit) continue;
    const timing = timingPhase(s);
    const agrees = timing?.phase === hit.phase;
    const word = hit.pattern.exec(words)?.[0] ?? '';
    set(
      s,
      hit.phase,
      agrees ? 0.95 : 0.9,
      `series description "${word}"${agrees ? ` and contrast timing ${Math.round(timing!.delayS)} s` : ''}`,
    );
  }

  for (const s of volumetric) {
    if (guesses.has(s.seriesInstanceUid)) continue;
    const timing = timingPhase(s);
    if (timing)
      set(s, timing.phase, 0.8, `contrast timing: acquired ${Math.round(timing.delayS)} s after contrast start`);
  }

  const anyContrast = volumetric.some((s) => s.contrastAgent);
  for (const s of volumetric) {
    if (guesses.has(s.seriesInstanceUid)) continue;
    if (!s.contrastAgent && anyContrast)
      set(s, 'precontrast', 0.7, 'no contrast agent in the header while other series have one');
  }

  const taken = new Set([...guesses.values()].map((g) => g.phase));
  const remaining = volumetric
    .filter(
      (s) => !guesses.has(s.seriesInstanceUid) && s.contrastAgent && Number.isFinite(tmSeconds(s.acquisitionTime)),
    )
    .sort((a, b) => tmSeconds(a.acquisitionTime) - tmSeconds(b.acquisitionTime));
  const order: Phase[] = (['arterial', 'portal_venous'] as const).filter((p) => !taken.has(p));
  remaining.forEach((s, i) => {
    const phase = order[i];
    if (phase) set(s, phase, 0.5, `acquisition order: contrast series no. ${i + 1} of the study`);
  });

  return series.map(
    (s) =>
      guesses.get(s.seriesInstanceUid) ?? {
        seriesInstanceUid: s.seriesInstanceUid,
        phase: 'other',
        confidence: 0.3,
        rule: 'no rule applied',
      },
  );
}
