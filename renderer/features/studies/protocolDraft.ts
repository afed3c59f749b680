import { ProtocolError, validateProtocol, type ItemScope, type Protocol } from '../../../core/studies/protocol';
import type { ResponseCriteria } from '../../../core/recist/responseCategory';
import { maxProtocolItems } from '../../../core/tables/tableLimits';

/**
 * The protocol as the editor holds it while a person types: numbers as the text typed, every
 * kind's fields kept (so switching an item from "number" to "categories" and back loses nothing).
 * `toProtocolInput` turns it into the untrusted object `validateProtocol` (and the server) check.
 */
export interface ProtocolDraft {
  criteria: ResponseCriteria[];
  maxTotal: number;
  maxPerOrgan: number;
  letb: boolean;
  items: ItemDraft[];
}

export type ItemKind = 'nominal' | 'ordinal' | 'numeric';

export interface ItemDraft {
  /** Stable React key; not part of the protocol. */
  key: number;
  id: string;
  /** While false the id follows the label (a new item); typing an id stops that. */
  idEdited: boolean;
  label: string;
  kind: ItemKind;
  scope: ItemScope;
  levels: string[];
  unit: string;
  min: string;
  max: string;
}

let nextKey = 1;

export function toDraft(protocol: Protocol): ProtocolDraft {
  return {
    criteria: [...protocol.criteria],
    maxTotal: protocol.targets.maxTotal,
    maxPerOrgan: protocol.targets.maxPerOrgan,
    letb: protocol.letb,
    items: protocol.items.map((it) => ({
      key: nextKey++,
      id: it.id,
      idEdited: true,
      label: it.label,
      kind: it.kind,
      scope: it.scope,
      levels: it.kind === 'numeric' ? ['', ''] : [...it.levels],
      unit: it.kind === 'numeric' ? it.unit : '',
      min: it.kind === 'numeric' ? String(it.min) : '',
      max: it.kind === 'numeric' ? String(it.max) : '',
    })),
  };
}

export function newItemDraft(): ItemDraft {
  return {
    key: nextKey++,
    id: '',
    idEdited: false,
    label: '',
    kind: 'ordinal',
    scope: 'baseline',
    levels: ['', ''],
    unit: '',
    min: '',
    max: '',
  };
}

/** A lower-case name for exports derived from a label: "Lesion conspicuity" → "lesion_conspicuity". */
export function idFromLabel(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[0-9_]+/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug;
}

const toNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** The draft as the plain object the contract takes (`protocol: unknown`). */
export function toProtocolInput(draft: ProtocolDraft): unknown {
  return {
    version: 1,
    criteria: (['recist', 'mrecist'] as const).filter((c) => draft.criteria.includes(c)),
    targets: { organ: 'liver', maxTotal: draft.maxTotal, maxPerOrgan: draft.maxPerOrgan },
    letb: draft.letb,
    items: draft.items.map((it) => {
      const base = { id: it.id.trim(), label: it.label, scope: it.scope };
      if (it.kind === 'numeric')
        return { ...base, kind: 'numeric', unit: it.unit.trim(), min: toNumber(it.min), max: toNumber(it.max) };
      return { ...base, kind: it.kind, levels: it.levels.map((l) => l.trim()) };
    }),
  };
}

export type DraftCheck = { ok: true; protocol: Protocol } | { ok: false; message: string; itemIndex: number | null };

/** Runs the same `validateProtocol` the server runs, and words its first problem for a person. */
export function checkDraft(draft: ProtocolDraft): DraftCheck {
  try {
    return { ok: true, protocol: validateProtocol(toProtocolInput(draft)) };
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { ok: false, ...plainProtocolError(err.message, draft) };
  }
}

/**
 * `validateProtocol` names fields by path ("protocol.items[2].levels: …"); a coordinator knows
 * them by what the editor shows ("Question 3 (Lesion conspicuity): …").
 */
export function plainProtocolError(
  message: string,
  draft: ProtocolDraft,
): { message: string; itemIndex: number | null } {
  const item = /^protocol\.items\[(\d+)\](?:\.(\w+))?: (.*)$/.exec(message);
  if (item) {
    const n = Number(item[1]);
    const field = item[2];
    const label = draft.items[n]?.label.trim();
    const name = `Question ${n + 1}${label ? ` (${label})` : ''}`;
    const plain: Record<string, string> = {
      id: 'the name in exported files must start with a lower-case letter and use only a-z, 0-9 and _ (at most 40 characters)',
      label: 'the question needs a wording of 1 to 200 characters',
      levels: 'needs 2 to 12 different answer options, none empty (at most 60 characters each, no tabs or line breaks)',
      unit: 'the unit may have at most 20 characters',
      scope: 'choose when it is answered',
      kind: 'choose the kind of answer',
    };
    let detail = field ? (plain[field] ?? item[3]!) : item[3]!;
    if (field === 'id' && /used twice/.test(item[3]!))
      detail = `the name in exported files "${draft.items[n]?.id ?? ''}" is already used by another question`;
    if (field === 'id' && /reserved/.test(item[3]!))
      detail = `the name in exported files "${draft.items[n]?.id ?? ''}" is used by the reading form itself; choose another`;
    if (!field && /min < max/.test(item[3]!))
      detail =
        'the lowest and highest allowed values must be numbers between -1e15 and 1e15, the lowest below the highest';
    return { message: `${name}: ${detail}.`, itemIndex: n };
  }
  if (message.startsWith('protocol.items: at most'))
    return { message: `A protocol can ask at most ${maxProtocolItems} questions; remove some.`, itemIndex: null };
  if (message.startsWith('protocol.criteria'))
    return { message: 'Choose at least one response criteria (RECIST 1.1 and/or mRECIST).', itemIndex: null };
  if (message.startsWith('protocol.targets.maxTotal'))
    return { message: 'Target lesions in total: choose 1 to 5.', itemIndex: null };
  if (message.startsWith('protocol.targets.maxPerOrgan'))
    return { message: 'Target lesions per organ: choose 1 or 2, and no more than the total.', itemIndex: null };
  return { message, itemIndex: null };
}
