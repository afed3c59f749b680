import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { letbChange } from '../../../core/letb/letbChange';
import { buildStudyReport, type StudyReport } from '../../../core/report/studyReport';
import { renderReportHtml } from '../../../core/report/renderReportHtml';
import { AppException } from '../../../core/ipc/result';
import { appendAudit, auditHead } from '../../db/audit';
import { posixPermissions, privateDirMode, privateFileMode } from '../../db/folderPermissions';
import { caseTimepointLetb } from '../../db/repositories/caseLetb';
import { listCases } from '../../db/repositories/cases';
import { getStudy, studyOverview, studyProtocol } from '../../db/repositories/reads';
import { htmlToPdfWithChromium } from '../../platform/chromiumPdf';
import type { ServiceContext } from '../context';
import { studyOutcomeAnalysis } from '../studies/outcomeAnalysis';
import { unblindedCases } from '../studies/unblindedCases';

/**
 * The agreement report of an unblinded study, built from its locked reads (CONFLICT while blinded);
 * the ΔLETB waterfall from the readers' ROI placements when the protocol measures LETB, else from
 * the coordinator's.
 */
export async function studyReport(ctx: ServiceContext, studyId: number): Promise<StudyReport> {
  const study = await getStudy(ctx.db, studyId);
  const cases = await unblindedCases(ctx.db, studyId);
  const overview = await studyOverview(ctx.db, studyId);
  const protocol = studyProtocol(study);
  // The coordinator's placements feed the ΔLETB waterfall only when the readers do not measure LETB themselves.
  const letb = new Map<string, number>();
  for (const [code, tps] of protocol.letb ? [] : await caseTimepointLetb(ctx.db, studyId)) {
    const [pre, post] = [tps[0], tps[1]];
    if (typeof pre !== 'number' || typeof post !== 'number') continue;
    const change = letbChange(pre, post, []);
    if (change.estimable) letb.set(code, change.changePercent);
  }
  return buildStudyReport(
    {
      name: study.name,
      protocol,
      randomizationSeed: study.randomization_seed,
      createdAt: study.created_at,
      frozenAt: study.frozen_at,
      unblindedAt: study.unblinded_at,
      readers: overview.readers.map((r) => r.displayName),
      software: { name: ctx.productName, version: ctx.appVersion },
      generatedAt: new Date().toISOString(),
      auditTrail: await auditHead(ctx.db),
    },
    cases,
    letb,
  );
}

export interface WrittenFile {
  name: string;
  path: string;
  sha256: string;
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<WrittenFile> {
  await writeFile(`${path}.partial`, data, { mode: privateFileMode });
  await rename(`${path}.partial`, path);
  return { name: path.split(/[\\/]/).pop()!, path, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * Writes the agreement report of an unblinded study into `outDir`: `report.html`, `report.pdf`
 * (the shell's printToPDF, else headless Chromium), `reads.csv` (the long export) and
 * `agreement.json` (every statistic at full precision). When outcomes have been imported, the
 * report has the "Outcomes" section and agreement.json its `outcomes` (the `getOutcomeAnalysis`
 * value, null without an import). PHI-free unless `includeIdentity`, which adds a case → patient
 * table to the HTML and PDF only. Every file carries the audit trail's head at generation
 * (report.html/pdf in the summary and colophon, agreement.json as `study.auditTrail`). Audited.
 */
export async function writeStudyReport(
  ctx: ServiceContext,
  studyId: number,
  outDir: string,
  options: { includeIdentity: boolean; actor: string },
): Promise<{ dir: string; files: WrittenFile[]; auditTrail: { rows: number; lastMac: string } }> {
  const report = await studyReport(ctx, studyId);
  await mkdir(outDir, { recursive: true, mode: privateDirMode });
  const identity = options.includeIdentity
    ? new Map(
        (await listCases(ctx.db, studyId)).map((c) => [
          c.caseCode,
          { patientName: c.patientName, patientId: c.patientId },
        ]),
      )
    : undefined;
  const outcomes = await studyOutcomeAnalysis(ctx.db, studyId);
  const html = renderReportHtml(report, { ...(identity ? { identity } : {}), ...(outcomes ? { outcomes } : {}) });
  const files: WrittenFile[] = [];
  files.push(await writeAtomic(join(outDir, 'reads.csv'), report.readsCsv));
  const { rows: _rows, readsCsv: _csv, ...rest } = report;
  files.push(
    await writeAtomic(
      join(outDir, 'agreement.json'),
      `${JSON.stringify({ format: 'concord-agreement', formatVersion: 1, ...rest, outcomes }, null, 2)}\n`,
    ),
  );
  const htmlFile = await writeAtomic(join(outDir, 'report.html'), html);
  files.push(htmlFile);
  const pdfPath = join(outDir, 'report.pdf');
  await rm(pdfPath, { force: true });
  if (ctx.platform.printPdf) await ctx.platform.printPdf(htmlFile.path, pdfPath);
  else await htmlToPdfWithChromium(htmlFile.path, pdfPath);
  const pdf = await readFile(pdfPath).catch(() => {
    throw new AppException('IO', `The PDF was not written to ${pdfPath}.`);
  });
  // Written by Chromium or Electron with the default mode: owner-only like every export.
  if (posixPermissions) await chmod(pdfPath, privateFileMode);
  files.push({ name: 'report.pdf', path: pdfPath, sha256: createHash('sha256').update(pdf).digest('hex') });
  await ctx.db.transaction(() =>
    appendAudit(ctx.db, {
      actor: options.actor,
      action: 'study.report',
      entity: 'reading_study',
      entityId: studyId,
      before: null,
      after: {
        dir: outDir,
        includeIdentity: options.includeIdentity,
        files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      },
    }),
  );
  // The trail's head printed in report.html/pdf and agreement.json (before the report's own audit row).
  return { dir: outDir, files, auditTrail: report.study.auditTrail! };
}
