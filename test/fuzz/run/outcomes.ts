import type { Expectation } from '../mutations/types';

/**
 * What happened to one case. The first group passes; the second is reported but passes (the
 * input's validity decides whether it is a problem, and a mutation cannot always tell); the
 * third fails the campaign.
 */
export type Outcome =
  // passes
  | 'ok' // indexed and loadable, or the clean result
  | 'named' // refused or skipped with a specific reason
  // reported
  | 'refusedValid' // a named refusal of a valid re-encoding
  | 'acceptedInvalid' // the clean result from an input that is invalid
  | 'changed' // a different result from blind corruption that may have made another valid input
  // fail
  | 'silentlyWrong' // a different result (LETB, liver volume, the indexed series) without a word
  | 'unaccounted' // a file neither indexed nor listed with a reason
  | 'indexedUnloadable' // indexed without a word, refused only when its series is loaded
  | 'cleanChanged' // a series imported before (and not targeted) changed
  | 'emptySeries' // a series without instances remains
  | 'dbCheck' // concord db-check failed after the import
  | 'aborted' // the whole import failed with a reason (one file stopped the others)
  | 'unexpected' // "unexpected error", an internal error, or a raw engine error as the reason
  | 'crash'
  | 'hang'
  | 'memory';

export const passing: readonly Outcome[] = ['ok', 'named'];
export const reported: readonly Outcome[] = ['refusedValid', 'acceptedInvalid', 'changed'];
export const failing: readonly Outcome[] = [
  'silentlyWrong',
  'unaccounted',
  'indexedUnloadable',
  'cleanChanged',
  'emptySeries',
  'dbCheck',
  'aborted',
  'unexpected',
  'crash',
  'hang',
  'memory',
];
export const allOutcomes: readonly Outcome[] = [...passing, ...reported, ...failing];

/**
 * Messages that are no message: the CLI's and the services' catch-all texts, and errors of the
 * JavaScript engine or SQLite passed through (a user cannot act on "Offset is outside the
 * bounds of the DataView").
 */
const unexpectedPatterns: readonly RegExp[] = [
  /unexpected error/i,
  /internal error/i,
  /\bis not a function\b/,
  /Cannot (read|set) propert/i,
  /\bis not iterable\b/,
  /\bis not defined\b/,
  /\bundefined is not\b/i,
  /Maximum call stack/i,
  /Invalid (typed )?array length/i,
  /Array buffer allocation failed/i,
  /out of memory/i,
  /outside the bounds of the (DataView|buffer)/i,
  /The value of "\w+" is out of range/,
  /\b(RangeError|TypeError|ReferenceError|SyntaxError)\b/,
  /\bSQLITE_[A-Z]+\b/,
];

export function isUnexpectedMessage(text: string): boolean {
  return unexpectedPatterns.some((p) => p.test(text));
}

/** A named refusal, weighed against what the input deserved. */
export function refusal(expect: Expectation): Outcome {
  return expect === 'same' ? 'refusedValid' : 'named';
}

/** The clean result, weighed against what the input deserved. */
export function acceptance(expect: Expectation): Outcome {
  return expect === 'refuse' ? 'acceptedInvalid' : 'ok';
}

/** A different result, weighed against what the input deserved. */
export function difference(expect: Expectation): Outcome {
  return expect === 'unknown' ? 'changed' : 'silentlyWrong';
}

/** The more serious of two outcomes (the order of `allOutcomes`, failures last). */
export function worse(a: Outcome, b: Outcome): Outcome {
  return allOutcomes.indexOf(b) > allOutcomes.indexOf(a) ? b : a;
}
