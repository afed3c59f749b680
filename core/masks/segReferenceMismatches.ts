import type { SegContents } from './segContents';

/** What the DICOM index knows of the CT series a mask is placed on (its exam). */
export interface ExamReference {
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  /** Patient ID (0010,0020); "" when the images have none. */
  patientId: string;
}

/** One way a SEG says it belongs to other images than the exam's. */
export interface ReferenceMismatch {
  what: 'series' | 'frame-of-reference' | 'patient';
  /** What the SEG says ("" when it says nothing; several referenced series are joined by ", "). */
  mask: string;
  /** What the exam has. */
  exam: string;
}

/**
 * The ways a DICOM SEG says it was drawn on other images than the exam's CT series:
 * - series: none of its Referenced Series (Common Instance Reference) is the CT series, or it
 *   names none (then nothing ties it to these images);
 * - frame-of-reference: its Frame of Reference UID is not the CT's, or it has none (positions in
 *   another frame of reference are not comparable, even when the numbers look alike);
 * - patient: both name a Patient ID and they differ (a blank ID on either side is not evidence:
 *   de-identified SEGs often have one, and the series and frame checks still hold).
 * UIDs are compared exactly, IDs after trimming spaces (DICOM pads values to even length).
 * Reference: DICOM PS3.3 §C.12.2 (Common Instance Reference), §C.7.4.1 (Frame of Reference),
 * §C.7.1.1 (Patient); issue 12 item 7.
 * @returns an empty array when the SEG belongs to the exam
 */
export function segReferenceMismatches(
  seg: Pick<SegContents, 'referencedSeriesInstanceUids' | 'frameOfReferenceUid' | 'patientId'>,
  exam: ExamReference,
): ReferenceMismatch[] {
  const out: ReferenceMismatch[] = [];
  if (!seg.referencedSeriesInstanceUids.includes(exam.seriesInstanceUid)) {
    out.push({ what: 'series', mask: seg.referencedSeriesInstanceUids.join(', '), exam: exam.seriesInstanceUid });
  }
  if ((seg.frameOfReferenceUid ?? '') !== exam.frameOfReferenceUid) {
    out.push({ what: 'frame-of-reference', mask: seg.frameOfReferenceUid ?? '', exam: exam.frameOfReferenceUid });
  }
  const segPatient = (seg.patientId ?? '').trim();
  const examPatient = exam.patientId.trim();
  if (segPatient !== '' && examPatient !== '' && segPatient !== examPatient)
    out.push({ what: 'patient', mask: segPatient, exam: examPatient });
  return out;
}

/**
 * The mismatches in words, both sides named, for the coordinator (UIDs and IDs are identifying:
 * never for a reader), e.g. "it references series 1.2.3, not the CT's series 1.2.4; its Frame of
 * Reference is 1.2.5, not the CT's 1.2.6".
 */
export function describeReferenceMismatches(mismatches: readonly ReferenceMismatch[]): string {
  return mismatches
    .map((m) => {
      switch (m.what) {
        case 'series':
          return m.mask === ''
            ? `it names no referenced series; the CT is series ${m.exam}`
            : `it references series ${m.mask}, not the CT's series ${m.exam}`;
        case 'frame-of-reference':
          return m.mask === ''
            ? `it has no Frame of Reference; the CT's is ${m.exam}`
            : `its Frame of Reference is ${m.mask}, not the CT's ${m.exam}`;
        case 'patient':
          return `its patient ID is "${m.mask}", not the CT's "${m.exam}"`;
      }
    })
    .join('; ');
}
