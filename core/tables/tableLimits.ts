/**
 * The bounds every table Concord reads is held to (reads CSV, agreement and study protocols,
 * survival CSV, outcomes CSV, and covariate CSVs to come). Each keeps one bad or mistaken input
 * from running for minutes or exhausting memory, and each is far above what a reader study
 * needs: a study of 1,000 cases × 4 readers writes a reads.csv of about 9 MB, a protocol of a
 * few kilobytes. (A 16 MiB file of one-character cells costs about 300 MB of memory to hold.)
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** Largest file each reader accepts, in bytes (checked before the file is read whole). */
export const maxTableBytes = {
  /** `concord agreement --reads`: a long reads file (about 450,000 rows of the study export). */
  reads: 16 * MiB,
  /** `concord survival --in`. */
  survival: 8 * MiB,
  /** A covariate CSV. */
  covariates: 8 * MiB,
  /** `importOutcomes`: one row per case; also the size a contract request may carry. */
  outcomes: 900 * KiB,
  /** `concord agreement --protocol`: a JSON protocol. */
  protocolJson: 1 * MiB,
} as const;

/** Longest cell of a CSV file, in characters (UTF-16 code units). */
export const maxCellChars = 4096;

/** Most fields of one CSV record (the header included). */
export const maxColumns = 1000;

/**
 * Largest magnitude of a number in a table (a measurement, a follow-up time). Beyond it the
 * statistics would lose every digit of the differences they work on, and near 1e154 their sums
 * of squares overflow; no measurement of a reader study comes near it.
 */
export const maxTableMagnitude = 1e15;

/** Most levels of one categorical item (agreement protocol; the study protocol allows 12). */
export const maxLevelsPerItem = 50;

/** Most items of an agreement protocol. */
export const maxAgreementItems = 500;

/** Most questions of a study protocol (the reading form's own items not counted). */
export const maxProtocolItems = 50;

/** Most readers rating one item of a reads file (3+ readers get a kappa for every pair). */
export const maxRatersPerItem = 50;

/** Most groups `concord survival` compares (the log-rank test is quadratic in them). */
export const maxSurvivalGroups = 100;

/** Longest line of an error message (on the command line, or one problem in the app), in characters. */
export const maxErrorLineChars = 500;

/** Most characters of a cell, a line or a name quoted in an error message. */
export const maxExcerptChars = 40;

/** Most problems one error lists (an outcomes file refused whole; invalid bytes of a file); the rest are counted. */
export const maxProblemsListed = 20;
