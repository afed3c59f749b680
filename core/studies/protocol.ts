import type { ResponseCriteria } from '../recist/responseCategory';
import { maxProtocolItems, maxTableMagnitude } from '../tables/tableLimits';

/** A question of the reading form beyond the target lesions. */
export type ProtocolItem = ItemBase &
  (
    | { kind: 'nominal'; levels: string[] }
    | { kind: 'ordinal'; /** lowest to highest */ levels: string[] }
    | { kind: 'numeric'; unit: string; min: number; max: number }
  );

/** Which timepoints an item is answered at: the baseline only, or every timepoint. */
export type ItemScope = 'baseline' | 'every';

interface ItemBase {
  id: string;
  label: string;
  scope: ItemScope;
}

/** Item ids the reading form uses itself (target lesions, non-target status, new lesions). */
export const reservedItemIds: readonly string[] = ['nontarget', 'new_lesion'];
const reservedPattern = /^target[0-9]+$/;

export interface Protocol {
  version: 1;
  criteria: ResponseCriteria[];
  targets: { organ: 'liver'; maxTotal: number; maxPerOrgan: number };
  /**
   * Each reader also measures LETB (SPEC §2): three ROI placements on the subtraction image of
   * every timepoint, on the liver mask of the exam (the coordinator's, or the exam's DICOM SEG).
   * Off unless asked for (every timepoint then needs a liver mask); absent in older protocols.
   */
  letb: boolean;
  items: ProtocolItem[];
}

/**
 * The reference study's reading form (SPEC §3): up to 2 liver targets, RECIST 1.1 and mRECIST,
 * the visual arterial enhancement pattern (hyper vs iso-/hypo-enhancing) and the visual hepatic
 * tumour burden (<25 %, 25-50 %, >50-75 %, >75 % of the liver), both read on the baseline exam.
 */
export const referenceProtocol: Protocol = {
  version: 1,
  criteria: ['recist', 'mrecist'],
  targets: { organ: 'liver', maxTotal: 2, maxPerOrgan: 2 },
  letb: false,
  items: [
    {
      id: 'enhancement',
      label: 'Arterial enhancement pattern of the metastases',
      scope: 'baseline',
      kind: 'nominal',
      levels: ['hyperenhancing', 'iso-/hypoenhancing'],
    },
    {
      id: 'burden',
      label: 'Visual hepatic tumour burden',
      scope: 'baseline',
      kind: 'ordinal',
      levels: ['<25%', '25-50%', '>50-75%', '>75%'],
    },
  ],
};

/** A protocol that breaks a rule; the message names the field. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const idPattern = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Checks an untrusted protocol and returns it typed. Rules: criteria a non-empty subset of
 * recist/mrecist; 1 ≤ maxPerOrgan ≤ maxTotal ≤ 5 and maxPerOrgan ≤ 2 (RECIST 1.1: at most 5
 * targets, 2 per organ); at most `maxProtocolItems` (50) items; item ids unique lower-case
 * identifiers other than the form's own (`nontarget`, `new_lesion`, `target<n>`); scope
 * `baseline` (the default) or `every`; nominal and ordinal items with 2-12 distinct non-empty
 * levels of at most 60 characters, without leading or trailing spaces or control characters
 * (the reads export and `concord agreement` compare cells trimmed) and distinct also after
 * Unicode NFC normalization; numeric items with min < max, both within ±1e15 (what a table may
 * hold, `maxTableMagnitude`, so every answer reads back from reads.csv); `letb` true or false
 * (false when absent).
 * @throws ProtocolError naming the first offending field
 */
export function validateProtocol(raw: unknown): Protocol {
  const fail = (m: string): never => {
    throw new ProtocolError(m);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('protocol: expected an object');
  const p = raw as Record<string, unknown>;
  if (p.version !== 1) fail('protocol.version: must be 1');
  const criteria = p.criteria;
  if (
    !Array.isArray(criteria) ||
    criteria.length === 0 ||
    !criteria.every((c) => c === 'recist' || c === 'mrecist') ||
    new Set(criteria).size !== criteria.length
  ) {
    fail('protocol.criteria: a non-empty list of "recist" and/or "mrecist"');
  }
  const t = p.targets as Record<string, unknown> | undefined;
  if (!t || t.organ !== 'liver') fail('protocol.targets.organ: must be "liver"');
  const maxTotal = t!.maxTotal;
  const maxPerOrgan = t!.maxPerOrgan;
  if (!Number.isInteger(maxTotal) || (maxTotal as number) < 1 || (maxTotal as number) > 5)
    fail('protocol.targets.maxTotal: an integer from 1 to 5 (RECIST 1.1)');
  if (
    !Number.isInteger(maxPerOrgan) ||
    (maxPerOrgan as number) < 1 ||
    (maxPerOrgan as number) > 2 ||
    (maxPerOrgan as number) > (maxTotal as number)
  ) {
    fail('protocol.targets.maxPerOrgan: an integer from 1 to 2 (RECIST 1.1), at most maxTotal');
  }
  if (p.letb !== undefined && typeof p.letb !== 'boolean') fail('protocol.letb: true or false');
  if (!Array.isArray(p.items)) fail('protocol.items: expected a list');
  if ((p.items as unknown[]).length > maxProtocolItems) fail(`protocol.items: at most ${maxProtocolItems} questions`);
  const ids = new Set<string>();
  const items = (p.items as unknown[]).map((raw, n): ProtocolItem => {
    const it = raw as Record<string, unknown>;
    const where = `protocol.items[${n}]`;
    if (typeof it !== 'object' || it === null) fail(`${where}: expected an object`);
    if (typeof it.id !== 'string' || !idPattern.test(it.id))
      fail(`${where}.id: a lower-case identifier (letters, digits, _)`);
    if (ids.has(it.id as string)) fail(`${where}.id: "${String(it.id)}" is used twice`);
    if (reservedItemIds.includes(it.id as string) || reservedPattern.test(it.id as string))
      fail(`${where}.id: "${String(it.id)}" is reserved for the reading form`);
    ids.add(it.id as string);
    if (typeof it.label !== 'string' || it.label.trim() === '' || it.label.length > 200)
      fail(`${where}.label: 1-200 characters`);
    if (it.scope !== undefined && it.scope !== 'baseline' && it.scope !== 'every')
      fail(`${where}.scope: "baseline" or "every"`);
    const base = {
      id: it.id as string,
      label: (it.label as string).trim(),
      scope: (it.scope ?? 'baseline') as ItemScope,
    };
    if (it.kind === 'nominal' || it.kind === 'ordinal') {
      const levels = it.levels;
      const plainLabel = (l: unknown) =>
        typeof l === 'string' &&
        l.trim() !== '' &&
        l.length <= 60 &&
        l === l.trim() &&
        !/[\u0000-\u001f\u007f]/.test(l);
      if (
        !Array.isArray(levels) ||
        levels.length < 2 ||
        levels.length > 12 ||
        !levels.every(plainLabel) ||
        new Set(levels.map((l: string) => l.normalize('NFC'))).size !== levels.length
      ) {
        fail(`${where}.levels: 2-12 distinct non-empty labels`);
      }
      return { ...base, kind: it.kind, levels: [...(levels as string[])] };
    }
    if (it.kind === 'numeric') {
      if (typeof it.unit !== 'string' || it.unit.length > 20)
        fail(`${where}.unit: a unit of up to 20 characters ("" for none)`);
      const inRange = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= maxTableMagnitude;
      if (!inRange(it.min) || !inRange(it.max) || (it.min as number) >= (it.max as number))
        fail(`${where}: numeric min < max, both within ±1e15`);
      return { ...base, kind: 'numeric', unit: it.unit as string, min: it.min as number, max: it.max as number };
    }
    return fail(`${where}.kind: "nominal", "ordinal" or "numeric"`);
  });
  return {
    version: 1,
    criteria: [...(criteria as ResponseCriteria[])],
    targets: { organ: 'liver', maxTotal: maxTotal as number, maxPerOrgan: maxPerOrgan as number },
    letb: p.letb === true,
    items,
  };
}
