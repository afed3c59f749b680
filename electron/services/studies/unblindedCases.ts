import type { UnblindedCase } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { assessRead } from '../../../core/studies/assessRead';
import { assessLetb } from '../../../core/studies/assessLetb';
import { allReads, caseSeries, getStudy, getStudyCase, studyProtocol } from '../../db/repositories/reads';
import type { Database } from '../../db/database';

/**
 * Every read of an unblinded study grouped by case (case-code order, readers in id order), with
 * its answers and the categories (and LETB, when the protocol measures it) recomputed from them. CONFLICT
 * while the study is blinded.
 */
export async function unblindedCases(db: Database, studyId: number): Promise<UnblindedCase[]> {
  const study = await getStudy(db, studyId);
  if (!study.unblinded_at)
    throw new AppException('CONFLICT', 'The study is still blinded: unblind it once every read is submitted.');
  const protocol = studyProtocol(study);
  const out = new Map<number, UnblindedCase>();
  for (const r of await allReads(db, studyId)) {
    let c = out.get(r.case_ref);
    if (!c) {
      const series = await caseSeries(db, r.case_ref);
      out.set(
        r.case_ref,
        (c = {
          caseId: r.case_ref,
          caseCode: r.case_code,
          timepoints: series.map((t) => ({ ordinal: t.ordinal, label: t.label })),
          reads: [],
        }),
      );
    }
    const timepointCount = (await getStudyCase(db, studyId, r.case_ref)).timepoints;
    c.reads.push({
      readId: r.id,
      readerId: r.reader_ref,
      reader: r.display_name,
      submittedAt: r.submitted_at ?? '',
      entries: r.entries,
      assessment: assessRead(protocol, timepointCount, r.entries),
      letb: protocol.letb ? assessLetb(timepointCount, r.entries) : null,
    });
  }
  return [...out.values()];
}
