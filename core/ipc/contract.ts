import type { Result, AppError } from './result';
import type { Phase } from '../phases/recognizePhases';
import type { Placement } from '../letb/evaluatePlacement';
import type { RoiShape } from '../letb/roi';
import type { IccResult } from '../stats/icc';
import type { LetbChange } from '../letb/letbChange';
import type { Protocol } from '../studies/protocol';
import type { EntryInput, ReadEntry } from '../studies/readForm';
import type { ReadAssessment } from '../studies/assessRead';
import type { LetbReadSummary } from '../studies/assessLetb';
import type { OutcomeEndpoint } from '../outcomes/outcomeEndpoints';
import type { OutcomeComparison } from '../outcomes/survivalComparison';
import type { StudyReport } from '../report/studyReport';
import type { SessionSettings } from '../auth/sessionSettings';
import type { MaskChecks } from '../masks/maskChecks';

export type { Placement, RoiShape, SessionSettings };

/**
 * The one service contract. Both transports (Electron IPC, loopback HTTP host) serve exactly
 * these methods over the same handlers; the renderer sees only this interface.
 *
 * Adding a method takes three edits: this interface + `readerChannels`, a parser, and a
 * handler entry in `electron/services/handlers.ts`. The compiler flags a missing piece.
 */
export interface ReaderApi {
  /** Product, version, data folder and database schema version of the running services. */
  getAppInfo(req: EmptyRequest): Promise<Result<AppInfo>>;
  /** Starts an integrity check of the reader database as a job; progress arrives as events. */
  startDatabaseCheck(req: EmptyRequest): Promise<Result<JobStarted>>;
  /** The current state of a job (also pushed as `jobProgress` events). */
  getJob(req: JobRequest): Promise<Result<JobProgress>>;
  /** Asks a running job to stop; `cancelled` is false when it had already finished. */
  cancelJob(req: JobRequest): Promise<Result<{ cancelled: boolean }>>;
  /** The native folder dialog (desktop app only; the browser host answers UNSUPPORTED). */
  chooseFolder(req: EmptyRequest): Promise<Result<{ folderPath: string | null }>>;
  /** Starts indexing a local folder of DICOM files as a job; the result is an ImportSummary. */
  startImport(req: { folderPath: string }): Promise<Result<JobStarted>>;
  /** Past import runs, newest first, with state (a run its process never finished: `interrupted`) and counts. */
  listImportRuns(req: EmptyRequest): Promise<Result<ImportRun[]>>;
  /** Patient → study → series of everything imported (coordinator view: includes identity). */
  listDicomIndex(req: EmptyRequest): Promise<Result<PatientNode[]>>;
  /** Sets (or with `phase: null` clears) the user's phase for a series; the override wins. */
  setSeriesPhase(req: { seriesInstanceUid: string; phase: Phase | null }): Promise<Result<SeriesSummary>>;
  /**
   * Writes the synthetic demo study into the data folder (once) and imports it, as a job whose
   * result is the ImportSummary.
   */
  openDemoStudy(req: EmptyRequest): Promise<Result<JobStarted>>;
  /** Loads a series as an HU volume (LPS geometry); warnings name geometry problems. */
  loadVolume(req: { seriesInstanceUid: string }): Promise<Result<VolumePayload>>;
  /**
   * Prepares LETB for a timepoint: arterial and precontrast series (the study's detected
   * precontrast unless given) and a liver mask (a file, or an imported SEG series) mapped onto
   * the arterial grid; checks the mask, attaches it with the result of its checks and returns the
   * stored placements. A DICOM SEG of other images than the arterial series (referenced series,
   * Frame of Reference or patient) answers NEEDS_CONFIRMATION, both sides named, unless
   * `allowOtherReference` (audited).
   */
  openLetbSession(req: LetbSessionRequest): Promise<Result<LetbSession>>;
  /** LETB of one ROI, not stored (live feedback while an ROI is moved). */
  evaluateLetbRoi(req: RoiRequest): Promise<Result<Placement>>;
  /** Stores placement number `placementNo` (replacing the active one with that number). */
  saveLetbPlacement(req: RoiRequest & { placementNo: number }): Promise<Result<StoredPlacement>>;
  /** Deletes a stored placement (kept in the database as deleted, for the audit). */
  deleteLetbPlacement(req: { sessionId: string; placementId: number }): Promise<Result<{ deleted: true }>>;
  /**
   * Writes the session's liver mask (on the arterial grid) as a DICOM SEG referencing the
   * arterial series, or as NIfTI, into `<data folder>/exports/`.
   */
  exportLetbMask(req: {
    sessionId: string;
    format: 'seg' | 'nifti';
  }): Promise<Result<{ path: string; sha256: string }>>;
  /**
   * Reproducibility of the three ROI placements (SPEC §2 step 6): ICC over every timepoint
   * whose current mask has placements 1, 2 and 3 (rows = timepoints, columns = placements).
   */
  getLetbReproducibility(req: EmptyRequest): Promise<Result<LetbReproducibility>>;
  /**
   * The LETB of every timepoint of the same patient (studies in date order; until cases exist
   * a timepoint is a study's arterial series) and the change of this one from the first.
   */
  getLetbTimeline(req: { seriesInstanceUid: string }): Promise<Result<LetbTimeline>>;
  /** Reading studies by name (no patient data): for the sign-in screen. */
  listReadingStudies(req: EmptyRequest): Promise<Result<ReadingStudySummary[]>>;
  /**
   * Creates a reading study with its coordinator (who is signed in on this connection). The
   * protocol defaults to the reference study's; the randomisation seed is drawn unless given.
   */
  createReadingStudy(req: {
    name: string;
    coordinatorName: string;
    passphrase: string;
    protocol?: unknown;
    seed?: number;
  }): Promise<Result<ReadingStudySummary>>;
  /** Adds a reader to a study (coordinator only). */
  addStudyReader(req: { studyId: number; displayName: string; passphrase: string }): Promise<Result<StudyUser>>;
  /**
   * Signs in as a study user: a new session (a random token the transport keeps: the desktop
   * window's main process, or the browser page, which sends it as a header). A wrong name or
   * passphrase gives FORBIDDEN; too many failures THROTTLED (a growing wait after 3, a lockout
   * after 10). Signing in ends the session this window or page had.
   */
  signIn(req: { studyId: number; displayName: string; passphrase: string }): Promise<Result<StudyUser>>;
  /** Ends this session and its jobs. */
  signOut(req: EmptyRequest): Promise<Result<{ signedOut: true }>>;
  /** The user of this session, or null. */
  whoAmI(req: EmptyRequest): Promise<Result<StudyUser | null>>;
  /** A study's session settings and its users' failed sign-ins and lockouts (its coordinator). */
  getSignInSecurity(req: { studyId: number }): Promise<Result<SignInSecurity>>;
  /** Changes a study's idle and absolute session timeouts and lockout period (its coordinator; audited). */
  setSessionSettings(req: { studyId: number } & SessionSettings): Promise<Result<SignInSecurity>>;
  /** Lifts a user's sign-in lockout and clears their failure count (the study's coordinator; audited). */
  unlockStudyUser(req: { studyId: number; userId: number }): Promise<Result<SignInSecurity>>;
  /**
   * Creates a case for every imported patient with at least two exams not yet in this study
   * (exams in date order: the first is the baseline). Case codes are assigned in an order
   * shuffled with the study seed, so they say nothing about the patients. Coordinator only.
   */
  addCasesFromIndex(req: { studyId: number }): Promise<Result<{ created: number; cases: CoordinatorCase[] }>>;
  /** The study's cases with patient identity, for the coordinator. */
  listStudyCases(req: { studyId: number }): Promise<Result<CoordinatorCase[]>>;
  /**
   * Splits a case of a patient treated more than once (SPEC §1: each treatment is a case): the
   * exam at `atTimepoint` ends the first treatment and is the baseline of a new case with the
   * later exams (next free code). Coordinator, before any reader opens the case; audited.
   * Returns the study's cases.
   */
  splitStudyCase(req: { caseId: number; atTimepoint: number }): Promise<Result<CoordinatorCase[]>>;
  /** Joins a case back into the case of the same patient it continues (the undo of a split); same rules. */
  joinStudyCase(req: { caseId: number }): Promise<Result<CoordinatorCase[]>>;
  /** The signed-in reader's cases in their own randomised order, without any patient data. */
  getMyWorklist(req: EmptyRequest): Promise<Result<WorklistEntry[]>>;
  /** Replaces the protocol of a study whose reading has not started (coordinator). */
  updateStudyProtocol(req: { studyId: number; protocol: unknown }): Promise<Result<StudyOverview>>;
  /**
   * The coordinator's view of a study: protocol, seed, readers and the state of every read
   * (never its answers before unblinding).
   */
  getStudyOverview(req: { studyId: number }): Promise<Result<StudyOverview>>;
  /**
   * Opens (creating on first use) the signed-in reader's read of a case of their study: the
   * form, their own answers and the live RECIST/mRECIST categories. The first read of a study
   * freezes its protocol.
   */
  openRead(req: { caseId: number }): Promise<Result<ReadView>>;
  /** An image series of a case the reader reads, as an HU volume without any DICOM identity. */
  loadCaseSeries(req: { caseId: number; seriesKey: string }): Promise<Result<CaseVolume>>;
  /**
   * LETB of a timepoint of the reader's own read (protocol with LETB): the arterial series of the
   * timepoint (as its series key), the subtraction arterial − precontrast and the liver mask on
   * its grid (the coordinator's mask of that series, else the exam's DICOM SEG), without any
   * DICOM identity or file path. ROI placements are saved as `letb.roi1..3` answers.
   */
  openReadLetb(req: { readId: number; timepoint: number }): Promise<Result<ReadLetbView>>;
  /** LETB of one ROI on a timepoint of the reader's own read, not stored (live feedback while the ROI moves). */
  evaluateReadLetbRoi(req: ReadLetbRoiRequest): Promise<Result<Placement>>;
  /**
   * Saves one answer of the reader's own open read at once (or clears it with `value: null`);
   * returns the recomputed categories. A submitted read is refused (CONFLICT).
   */
  saveReadEntry(req: {
    readId: number;
    timepoint: number;
    item: string;
    value: EntryInput | null;
  }): Promise<Result<ReadSaved>>;
  /** Checks the read is complete and locks it; an incomplete read is refused with what is missing. */
  submitRead(req: { readId: number }): Promise<Result<ReadView>>;
  /** Unlocks a submitted read before unblinding, with a reason (coordinator, audited). */
  reopenRead(req: { readId: number; reason: string }): Promise<Result<StudyOverview>>;
  /** Unblinds a study: allowed once every reader has submitted every case (coordinator, audited). */
  unblindStudy(req: { studyId: number }): Promise<Result<StudyOverview>>;
  /** Every read of an unblinded study side by side, with categories (coordinator). */
  getUnblindedReads(req: { studyId: number }): Promise<Result<UnblindedCase[]>>;
  /**
   * Writes the reads of an unblinded study into `<data folder>/exports/`: the PHI-free long CSV
   * (`case_code,reader,timepoint,item,value`) or the whole study as JSON (coordinator).
   */
  exportStudyReads(req: {
    studyId: number;
    format: 'csv' | 'json';
  }): Promise<Result<{ path: string; sha256: string; rows: number; auditTrail: AuditTrailHead }>>;
  /**
   * The agreement of an unblinded study (coordinator): per protocol item and criteria kappa,
   * weighted kappa, ICC, Bland-Altman, confusion tables, the RECIST-vs-mRECIST cross-table and
   * waterfall data, computed from the same long rows `exportStudyReads` writes.
   */
  getStudyAgreement(req: { studyId: number }): Promise<Result<StudyReport>>;
  /**
   * Writes the agreement report (report.pdf, report.html, reads.csv, agreement.json) into a new
   * folder under `<data folder>/exports/` (coordinator, unblinded study). PHI-free unless
   * `includeIdentity`.
   */
  exportStudyReport(req: {
    studyId: number;
    includeIdentity: boolean;
  }): Promise<
    Result<{ dir: string; files: { name: string; path: string; sha256: string }[]; auditTrail: AuditTrailHead }>
  >;
  /**
   * Imports the event dates of an unblinded study's cases from a CSV (`case_code,
   * last_followup_date,death,hepatic_progression_date,progression_date,
   * untreatable_progression_date`), replacing any earlier import (coordinator, audited). A file
   * with bad rows is refused as a whole (INVALID_INPUT listing every bad row and why).
   */
  importOutcomes(req: { studyId: number; csv: string }): Promise<Result<OutcomesImported>>;
  /**
   * Survival by response (SPEC §5, the reference study's Tables 3 and 4): for each LETB threshold
   * of the report set and each reader's RECIST/mRECIST objective response, per endpoint N+/N−,
   * Kaplan-Meier medians with 95 % CI, their difference, the log-rank test and the curves
   * (coordinator, unblinded study with imported outcomes).
   */
  getOutcomeAnalysis(req: { studyId: number }): Promise<Result<OutcomeAnalysis>>;
}

export type ReaderMethod = keyof ReaderApi;

/** The only place a channel name is spelled. */
export const readerChannels = {
  getAppInfo: 'reader:getAppInfo',
  startDatabaseCheck: 'reader:startDatabaseCheck',
  getJob: 'reader:getJob',
  cancelJob: 'reader:cancelJob',
  chooseFolder: 'reader:chooseFolder',
  startImport: 'reader:startImport',
  listImportRuns: 'reader:listImportRuns',
  listDicomIndex: 'reader:listDicomIndex',
  setSeriesPhase: 'reader:setSeriesPhase',
  openDemoStudy: 'reader:openDemoStudy',
  loadVolume: 'reader:loadVolume',
  openLetbSession: 'reader:openLetbSession',
  evaluateLetbRoi: 'reader:evaluateLetbRoi',
  saveLetbPlacement: 'reader:saveLetbPlacement',
  deleteLetbPlacement: 'reader:deleteLetbPlacement',
  exportLetbMask: 'reader:exportLetbMask',
  getLetbReproducibility: 'reader:getLetbReproducibility',
  getLetbTimeline: 'reader:getLetbTimeline',
  listReadingStudies: 'reader:listReadingStudies',
  createReadingStudy: 'reader:createReadingStudy',
  addStudyReader: 'reader:addStudyReader',
  signIn: 'reader:signIn',
  signOut: 'reader:signOut',
  whoAmI: 'reader:whoAmI',
  getSignInSecurity: 'reader:getSignInSecurity',
  setSessionSettings: 'reader:setSessionSettings',
  unlockStudyUser: 'reader:unlockStudyUser',
  addCasesFromIndex: 'reader:addCasesFromIndex',
  listStudyCases: 'reader:listStudyCases',
  splitStudyCase: 'reader:splitStudyCase',
  joinStudyCase: 'reader:joinStudyCase',
  getMyWorklist: 'reader:getMyWorklist',
  updateStudyProtocol: 'reader:updateStudyProtocol',
  getStudyOverview: 'reader:getStudyOverview',
  openRead: 'reader:openRead',
  loadCaseSeries: 'reader:loadCaseSeries',
  openReadLetb: 'reader:openReadLetb',
  evaluateReadLetbRoi: 'reader:evaluateReadLetbRoi',
  saveReadEntry: 'reader:saveReadEntry',
  submitRead: 'reader:submitRead',
  reopenRead: 'reader:reopenRead',
  unblindStudy: 'reader:unblindStudy',
  getUnblindedReads: 'reader:getUnblindedReads',
  exportStudyReads: 'reader:exportStudyReads',
  getStudyAgreement: 'reader:getStudyAgreement',
  exportStudyReport: 'reader:exportStudyReport',
  importOutcomes: 'reader:importOutcomes',
  getOutcomeAnalysis: 'reader:getOutcomeAnalysis',
} as const satisfies { [K in ReaderMethod]: `reader:${K}` };

export const readerMethods = Object.keys(readerChannels) as ReaderMethod[];

export type ReaderRequest<K extends ReaderMethod> = Parameters<ReaderApi[K]>[0];
export type ReaderValue<K extends ReaderMethod> = Awaited<ReturnType<ReaderApi[K]>> extends Result<infer T> ? T : never;

/** Push events, main → renderer. Subscriptions return an unsubscribe function. */
export interface ReaderEvents {
  jobProgress: JobProgress;
}
export type ReaderEventName = keyof ReaderEvents;
export const readerEventChannels = {
  jobProgress: 'reader:onJobProgress',
} as const satisfies { [K in ReaderEventName]: `reader:on${Capitalize<K>}` };

/** What the renderer holds: the contract plus event subscriptions, whatever the transport. */
export interface ReaderClient extends ReaderApi {
  onJobProgress(listener: (event: JobProgress) => void): () => void;
}

export type EmptyRequest = Record<string, never> | undefined;

/**
 * The head of the data folder's keyed audit trail when an export or report was written: its row
 * count and the last row's HMAC-SHA-256 (hex). Printed in every export and report, so that the
 * trail can later be checked against them (`concord audit-verify`).
 */
export interface AuditTrailHead {
  rows: number;
  lastMac: string;
}

export interface AppInfo {
  productName: string;
  version: string;
  /** Absolute path of the data folder that holds the reader database. */
  dataDir: string;
  /**
   * Set when other users of the computer could read the data folder and its permissions were
   * tightened at start-up (POSIX: folder 0700, files 0600): what was changed, for Home to show.
   */
  dataFolderNotice: string | null;
  schemaVersion: number;
  /** Which transport serves this session: the desktop shell or the loopback browser host. */
  shell: 'electron' | 'host';
}

export interface JobRequest {
  jobId: string;
}

export interface JobStarted {
  jobId: string;
}

export type JobType = 'databaseCheck' | 'importFolder' | 'openDemoStudy';
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface DatabaseCheckReport {
  schemaVersion: number;
  ok: boolean;
  /** Lines of `PRAGMA integrity_check` and `PRAGMA foreign_key_check` that are not "ok". */
  problems: string[];
}

export interface JobResults {
  databaseCheck: DatabaseCheckReport;
  importFolder: ImportSummary;
  openDemoStudy: ImportSummary;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImportSummary {
  runId: number;
  folder: string;
  state: 'succeeded' | 'cancelled';
  filesSeen: number;
  /** Distinct patients, studies, series and image instances found in the folder. */
  patients: number;
  studies: number;
  series: number;
  instances: number;
  /** Instances new to the index, and those it already had (re-import adds nothing twice). */
  added: number;
  alreadyIndexed: number;
  skipped: SkippedFile[];
}

export interface SeriesSummary {
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  description: string;
  seriesNumber: number | null;
  /** The phase in force: the user's override when set, else the detected one. */
  phase: Phase;
  phaseDetected: Phase;
  phaseConfidence: number;
  phaseRule: string;
  phaseOverridden: boolean;
  /** Columns, rows, slices (or frames); null when the headers lack them. */
  dims: [number, number, number] | null;
  /** x, y (PixelSpacing) and slice spacing from positions, mm; null when unknown. */
  spacingMm: [number, number, number] | null;
  instances: number;
  /** Whether the series can be loaded as one volume, judged from its headers at import. */
  loadable: boolean;
  /** Why not, one sentence each naming the file(s); empty when loadable. */
  problems: string[];
}

/** One import run, as the import history lists it. */
export interface ImportRun {
  runId: number;
  folder: string;
  startedAt: string;
  finishedAt: string | null;
  /** `interrupted`: its process ended before the run did (found at the next start). */
  state: 'running' | 'succeeded' | 'cancelled' | 'failed' | 'interrupted';
  filesSeen: number;
  added: number;
  alreadyIndexed: number;
  skipped: number;
}

export interface StudyNode {
  studyInstanceUid: string;
  studyDate: string;
  description: string;
  series: SeriesSummary[];
}

export interface PatientNode {
  patientKey: string;
  patientId: string;
  patientName: string;
  birthDate: string;
  studies: StudyNode[];
}

export interface VolumePayload {
  seriesInstanceUid: string;
  description: string;
  phase: Phase;
  dims: [number, number, number];
  spacingMm: [number, number, number];
  originMm: [number, number, number];
  direction: [number, number, number, number, number, number, number, number, number];
  /** HU values, i fastest. */
  voxels: Int16Array | Float32Array;
  warnings: string[];
}

interface JobProgressBase {
  jobId: string;
  /**
   * The transport connection (window, page) that started the job: events go there, and only
   * while the session or unsigned user that started it may still see it.
   */
  connection: string;
  state: JobState;
  /** Steps (or files) done and the total known so far. */
  done: number;
  total: number;
  message: string;
  /** Present when state is 'failed'. */
  error?: AppError;
}

/** One job's state; `result` is typed by `jobType` (present when succeeded, maybe when cancelled). */
export type JobProgress = {
  [K in JobType]: JobProgressBase & { jobType: K; result?: JobResults[K] };
}[JobType];

export interface LetbSessionRequest {
  arterialSeriesUid: string;
  /** Default: the series of the same study detected (or set) as precontrast. */
  precontrastSeriesUid?: string;
  /** The liver mask: a SEG, NIfTI or NRRD file, or an imported DICOM SEG series. */
  mask: { path: string } | { seriesInstanceUid: string };
  /**
   * Attach a DICOM SEG that references another series, Frame of Reference or patient than the
   * arterial series (refused with NEEDS_CONFIRMATION otherwise): the coordinator confirmed it;
   * the override is audited and stored with the mask's checks.
   */
  allowOtherReference?: boolean;
}

export interface MaskInfo {
  id: number;
  sourceFormat: 'seg' | 'nifti' | 'nrrd';
  sourcePath: string;
  /** The file's name, without its folder. */
  fileName: string;
  segmentLabel: string | null;
  /** SHA-256 of the mask file, and of the voxels as mapped onto the arterial grid. */
  fileSha256: string;
  maskSha256: string;
  voxels: number;
  volumeMl: number;
  /** What the checks found when it was attached; null for a mask attached before Concord checked masks. */
  checks: MaskChecks | null;
}

/**
 * The liver mask LETB of a case timepoint will use, for the coordinator (file names and the
 * checks may name patients and UIDs: never sent to a reader).
 */
export interface LetbMaskSummary {
  /** 'attached': the coordinator's mask of the arterial series; 'exam-seg': the exam's only DICOM SEG. */
  origin: 'attached' | 'exam-seg';
  fileName: string;
  fileSha256: string;
  /**
   * 'full' for an attached mask (every check, when it was attached; `checks` null when attached
   * before Concord checked masks); 'header' for the exam's SEG: its references are checked
   * against the exam (overridden is always empty: the exam's SEG cannot be overridden without
   * attaching it), its liver volume when a reader first opens it.
   */
  checked: 'full' | 'header';
  checks: MaskChecks | null;
}

export interface StoredPlacement extends Placement {
  id: number;
  placementNo: number;
  createdAt: string;
}

export interface LetbSession {
  sessionId: string;
  arterialSeriesUid: string;
  precontrastSeriesUid: string;
  resampledPrecontrast: boolean;
  liverVoxels: number;
  liverMl: number;
  voxelMl: number;
  mask: MaskInfo;
  /** The liver mask on the arterial grid (1 = liver), i fastest: for outlines and the 3D view. */
  liverMask: Uint8Array;
  /** Arterial − precontrast in HU on the arterial grid, clipped to int16: subtraction view and overlays. */
  subtraction: Int16Array;
  placements: StoredPlacement[];
}

export interface RoiRequest {
  sessionId: string;
  centerLps: [number, number, number];
  /** ROI volume in mL (cm³); 1.0 by default, 0.5 with little tumour-free liver (SPEC §2). */
  volumeMl: number;
  shape: RoiShape;
}

export interface LetbReproducibility {
  /** Timepoints with all three placements (the ICC's targets). */
  timepoints: number;
  /** All six Shrout-Fleiss forms with psych::ICC's 95 % intervals, or why they are not estimable. */
  icc: IccResult;
}

export interface LetbTimepoint {
  arterialSeriesUid: string;
  studyDate: string;
  placements: number;
  /** Mean of the stored placements, null without any. */
  letbPercent: number | null;
}

export interface LetbTimeline {
  timepoints: LetbTimepoint[];
  /** This timepoint against the first with LETB (the baseline), for the report's thresholds; null for the baseline itself. */
  change: LetbChange | null;
}

export interface ReadingStudySummary {
  id: number;
  name: string;
  createdAt: string;
  /** Set when reading started: the protocol can no longer change. */
  frozen: boolean;
}

export interface StudyUser {
  userId: number;
  studyId: number;
  studyName: string;
  role: 'coordinator' | 'reader';
  displayName: string;
}

/** A study's session settings, their defaults, and each user's sign-in failures (coordinator view). */
export interface SignInSecurity {
  studyId: number;
  settings: SessionSettings;
  defaults: SessionSettings;
  users: UserSignInState[];
}

export interface UserSignInState {
  userId: number;
  displayName: string;
  role: 'coordinator' | 'reader';
  /** Consecutive failed sign-ins since the last success or unlock. */
  failedAttempts: number;
  /** ISO time until which the account is locked (10 failures), or null. */
  lockedUntil: string | null;
  /** ISO time before which the next attempt is refused (3-9 failures), or null. */
  waitUntil: string | null;
}

export interface CoordinatorCase {
  caseId: number;
  caseCode: string;
  patientId: string;
  patientName: string;
  timepoints: {
    ordinal: number;
    studyInstanceUid: string;
    studyDate: string;
    label: string;
    /** Studies whose protocol measures LETB: whether readers can place ROIs there (phases and liver mask found), or why not; else null. */
    letb: LetbReadiness | null;
  }[];
}

/**
 * Whether a case timepoint has what LETB needs: one arterial and one precontrast series and a
 * liver mask that passes its checks; which mask, and what its checks found.
 */
export type LetbReadiness =
  { ready: true; maskSource: string; mask: LetbMaskSummary } | { ready: false; reason: string; mask?: LetbMaskSummary };

/** What a reader may know of a case: its code and its timepoints relative to the baseline. */
export interface WorklistEntry {
  position: number;
  caseId: number;
  caseCode: string;
  timepoints: { ordinal: number; label: string }[];
  /** The state of this reader's own read of the case. */
  readState: ReadState;
}

export type ReadState = 'not_started' | 'in_progress' | 'submitted';

export interface StudyOverview {
  study: ReadingStudySummary & { seed: number; unblinded: boolean; protocol: Protocol };
  readers: { userId: number; displayName: string; submitted: number; inProgress: number; cases: number }[];
  cases: number;
  /** Every reader × case, with the state of the read (no answers). */
  reads: {
    readId: number | null;
    caseId: number;
    caseCode: string;
    readerId: number;
    reader: string;
    state: ReadState;
    submittedAt: string | null;
  }[];
  /** Every reader has submitted every case (and there is at least one of each). */
  allSubmitted: boolean;
}

/** A series of a case as a reader knows it: a key within the case, its phase and number. */
export interface CaseSeries {
  seriesKey: string;
  phase: Phase;
  seriesNumber: number | null;
  slices: number;
}

export interface ReadView {
  readId: number;
  caseId: number;
  caseCode: string;
  state: Exclude<ReadState, 'not_started'>;
  submittedAt: string | null;
  timepoints: { ordinal: number; label: string; series: CaseSeries[] }[];
  protocol: Protocol;
  entries: ReadEntry[];
  assessment: ReadAssessment;
  /** LETB from the read's ROI placements; null when the protocol does not measure LETB. */
  letb: LetbReadSummary | null;
  /** What is still missing before the read can be submitted. */
  problems: string[];
}

export interface ReadSaved {
  /** The stored answer, or null when it was cleared. */
  entry: ReadEntry | null;
  assessment: ReadAssessment;
  letb: LetbReadSummary | null;
  problems: string[];
  savedAt: string;
}

/** LETB of one timepoint of a reader's read: what the LETB tool needs, and nothing identifying. The grid is the arterial series'. */
export interface ReadLetbView extends Pick<VolumePayload, 'dims' | 'spacingMm' | 'originMm' | 'direction'> {
  readId: number;
  timepoint: number;
  /** The timepoint's arterial series (load it with `loadCaseSeries`). */
  seriesKey: string;
  liverVoxels: number;
  liverMl: number;
  voxelMl: number;
  resampledPrecontrast: boolean;
  /** SHA-256 of the liver mask's voxels on the arterial grid. */
  maskSha256: string;
  /** Where the mask came from, in words (no path, no UID). */
  maskSource: string;
  /** 1 = liver, i fastest. */
  liverMask: Uint8Array;
  /** Arterial − precontrast in HU, clipped to int16. */
  subtraction: Int16Array;
}

export interface ReadLetbRoiRequest {
  readId: number;
  timepoint: number;
  centerLps: [number, number, number];
  /** 1.0 or 0.5 cm³. */
  volumeMl: number;
  shape: RoiShape;
}

/** A volume for a reader: no series UID, no description, no DICOM identity. */
export type CaseVolume = Omit<VolumePayload, 'seriesInstanceUid' | 'description'> & {
  caseId: number;
  seriesKey: string;
};

export interface UnblindedCase {
  caseId: number;
  caseCode: string;
  timepoints: { ordinal: number; label: string }[];
  reads: {
    readId: number;
    readerId: number;
    reader: string;
    submittedAt: string;
    entries: ReadEntry[];
    assessment: ReadAssessment;
    letb: LetbReadSummary | null;
  }[];
}

/** What an outcomes import stored. */
export interface OutcomesImported {
  /** Cases with outcomes now stored (the file's rows). */
  cases: number;
  /** Codes of the study's cases the file has no row for (they have no outcome). */
  casesWithoutRow: string[];
  /** Events and censored follow-ups per endpoint over the stored cases. */
  endpoints: Record<OutcomeEndpoint, { events: number; censored: number }>;
  importedAt: string;
  /** SHA-256 of the imported CSV text (UTF-8). */
  sourceSha256: string;
}

/** One way of splitting the cases into positive (responders) and negative, compared on every endpoint. */
export interface OutcomeGrouping {
  /** `letb<threshold>` (e.g. `letb-25.8`), `recist` or `mrecist`. */
  key: string;
  kind: 'letb' | 'recist' | 'mrecist';
  /** LETB: a case is a responder when its LETB change (baseline → first follow-up) is below this (%); null otherwise. */
  thresholdPercent: number | null;
  /** Whose reads: the reader for RECIST/mRECIST, and for LETB when the readers measure it (their ROI placements); null for LETB from the coordinator's placements. */
  reader: { readerId: number; displayName: string } | null;
  /** What N+ and N− mean, e.g. "LETB change < -25.8 %" / "LETB change ≥ -25.8 %". */
  positiveLabel: string;
  negativeLabel: string;
  /** Cases with outcomes that are in neither group, and why (e.g. no LETB at the first follow-up). */
  leftOut: { caseCode: string; reason: string }[];
  /** Times in months. */
  comparison: OutcomeComparison;
}

export interface OutcomeAnalysis {
  studyId: number;
  importedAt: string;
  sourceSha256: string;
  /** Cases with outcomes. */
  cases: number;
  /** Codes of the study's cases without an outcome (in no grouping). */
  casesWithoutOutcome: string[];
  timeUnit: 'months';
  /** Days per month used for the times (30.4375). */
  daysPerMonth: number;
  /** The endpoints in report order, with the definitions used (choices: see core/outcomes/outcomeEndpoints). */
  endpoints: { endpoint: OutcomeEndpoint; label: string; definition: string }[];
  /** LETB thresholds in report order, then RECIST and mRECIST per reader. */
  groupings: OutcomeGrouping[];
}
