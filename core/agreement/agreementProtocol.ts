import { InputDataError } from './inputDataError';
import { excerpt } from '../tables/excerpt';
import { maxAgreementItems, maxLevelsPerItem } from '../tables/tableLimits';

/** Longest item id or level of an agreement protocol, in characters. */
const maxNameChars = 200;

/**
 * How an item's answers are compared between readers:
 * - 'nominal': unordered categories (Cohen's kappa, Fleiss' kappa);
 * - 'ordinal': ordered categories, lowest first (also linearly and quadratically weighted kappa);
 * - 'continuous': numbers (intraclass correlation, Bland–Altman).
 */
export type AgreementScale = 'nominal' | 'ordinal' | 'continuous';

export const agreementScales: readonly AgreementScale[] = ['nominal', 'ordinal', 'continuous'];

/** One item to analyse: its id as it appears in the reads file, its scale and (categorical) levels. */
export type AgreementItemSpec =
  | {
      id: string;
      scale: 'nominal' | 'ordinal';
      /** In order (lowest first for ordinal); every level counts, used or not. */ levels: string[];
    }
  | { id: string; scale: 'continuous' };

/** What the protocol's `items` list says about items of the study export it does not fully describe. */
interface ItemDefault {
  pattern: RegExp;
  scale: AgreementScale;
  levels?: string[];
}

/**
 * The response categories of RECIST 1.1 and mRECIST as the study export writes them
 * (`core/studies/exportReads.ts`).
 */
export const responseLevels: readonly string[] = ['CR', 'PR', 'SD', 'PD', 'NE'];

/**
 * Scales and levels of the items the study export (`core/studies/exportReads.ts`, `readRows`)
 * writes beyond the protocol's own questions, used when a protocol item with such an id does
 * not give its scale or levels: computed response categories are nominal over CR/PR/SD/PD/NE,
 * objective response yes/no, sums and changes continuous, lesion diameters continuous (mm),
 * non-target status and new lesions nominal over the reading form's answers.
 */
export const studyExportItemDefaults: readonly ItemDefault[] = [
  {
    pattern: /^m?recist\.(overall_response|target_response|best_response)$/,
    scale: 'nominal',
    levels: [...responseLevels],
  },
  { pattern: /^m?recist\.objective_response$/, scale: 'nominal', levels: ['yes', 'no'] },
  { pattern: /^m?recist\.(sum_mm|change_from_baseline_percent|change_from_nadir_percent)$/, scale: 'continuous' },
  { pattern: /^target[0-9]+\.(longest|viable)$/, scale: 'continuous' },
  { pattern: /^nontarget$/, scale: 'nominal', levels: ['absent', 'present', 'progression', 'not_evaluable'] },
  { pattern: /^new_lesion$/, scale: 'nominal', levels: ['true', 'false'] },
];

/** The app's protocol (`core/studies/protocol.ts`) says `kind`; `numeric` is `continuous` there. */
const kindToScale: Record<string, AgreementScale> = {
  nominal: 'nominal',
  ordinal: 'ordinal',
  continuous: 'continuous',
  numeric: 'continuous',
};

/**
 * Reads the items of an agreement protocol: `{"items": [{"id": "burden", "scale": "ordinal",
 * "levels": ["<25%", "25-50%", ">50-75%", ">75%"]}, …]}`.
 * - `scale` is nominal, ordinal or continuous; the app's study protocol (`kind` nominal / ordinal
 *   / numeric, with label, scope, unit… which are ignored) is accepted as well, so the study's
 *   own protocol can be given as it is;
 * - at most `maxAgreementItems` (500) items; ids and levels at most 200 characters;
 * - levels (nominal, ordinal) are strings or numbers, matched against the reads file's text
 *   (`1` matches the cell `1`); 1 to `maxLevelsPerItem` (50), distinct (also after Unicode
 *   NFC normalization: two levels that look the same are refused); for continuous items they
 *   are ignored;
 * - items of the study export named in `studyExportItemDefaults` (e.g. `recist.overall_response`)
 *   may leave out scale and levels: nominal over CR/PR/SD/PD/NE, and so on.
 * Other top-level fields are ignored.
 * @param raw the parsed JSON
 * @throws InputDataError naming the field (`protocol.items[2].levels: …`) for anything else:
 *   no items list, too many items, an item without an id, a repeated id, an unknown scale,
 *   missing, empty, too many, too long or repeated levels; messages quote only excerpts
 * @returns the items in the protocol's order
 */
export function parseAgreementProtocol(raw: unknown): AgreementItemSpec[] {
  const fail = (message: string): never => {
    throw new InputDataError(message);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('protocol: expected a JSON object with an "items" list');
  const items = (raw as Record<string, unknown>).items;
  if (!Array.isArray(items)) return fail('protocol.items: expected a list of items ({"id", "scale", "levels"})');
  if (items.length === 0) fail('protocol.items: the list is empty');
  if (items.length > maxAgreementItems) fail(`protocol.items: ${items.length} items; at most ${maxAgreementItems}`);
  const ids = new Set<string>();
  return items.map((rawItem, n): AgreementItemSpec => {
    const where = `protocol.items[${n}]`;
    if (typeof rawItem !== 'object' || rawItem === null || Array.isArray(rawItem))
      return fail(`${where}: expected an object`);
    const it = rawItem as Record<string, unknown>;
    if (typeof it.id !== 'string' || it.id.trim() === '') return fail(`${where}.id: a non-empty string`);
    const id = it.id.trim();
    if (id.length > maxNameChars) fail(`${where}.id: ${excerpt(id)} is longer than ${maxNameChars} characters`);
    if (ids.has(id)) fail(`${where}.id: ${excerpt(id)} is listed twice`);
    ids.add(id);
    const fallback = studyExportItemDefaults.find((d) => d.pattern.test(id));
    const field = it.scale !== undefined ? 'scale' : 'kind';
    const given = it.scale ?? it.kind;
    let scale: AgreementScale;
    if (given === undefined) {
      if (!fallback) return fail(`${where}.scale: missing for ${excerpt(id)} (nominal, ordinal or continuous)`);
      scale = fallback.scale;
    } else {
      const mapped = typeof given === 'string' ? kindToScale[given] : undefined;
      if (mapped === undefined)
        return fail(
          `${where}.${field}: ${typeof given === 'string' ? excerpt(given) : typeof given} is not nominal, ordinal or continuous`,
        );
      scale = mapped;
    }
    if (scale === 'continuous') return { id, scale };
    let levels: string[];
    if (it.levels === undefined) {
      if (!fallback?.levels) return fail(`${where}.levels: missing for the ${scale} item ${excerpt(id)}`);
      levels = [...fallback.levels];
    } else {
      if (!Array.isArray(it.levels) || it.levels.length === 0)
        return fail(`${where}.levels: a non-empty list of strings or numbers`);
      if (it.levels.length > maxLevelsPerItem) {
        return fail(
          `${where}.levels: ${it.levels.length} levels for ${excerpt(id)}; at most ${maxLevelsPerItem} (a categorical item with more levels is better read as continuous)`,
        );
      }
      levels = it.levels.map((level, j) => {
        if (typeof level === 'number' && Number.isFinite(level)) return String(level);
        if (typeof level === 'string' && level.trim() !== '') {
          if (level.trim().length > maxNameChars)
            fail(`${where}.levels[${j}]: ${excerpt(level.trim())} is longer than ${maxNameChars} characters`);
          return level.trim();
        }
        return fail(
          `${where}.levels[${j}]: ${typeof level === 'string' ? excerpt(level) : level === null ? 'null' : typeof level} is not a non-empty string or a number`,
        );
      });
      const seen = new Map<string, string>();
      for (const level of levels) {
        const key = level.normalize('NFC');
        const earlier = seen.get(key);
        if (earlier === level) fail(`${where}.levels: ${excerpt(level)} is listed twice`);
        if (earlier !== undefined)
          fail(
            `${where}.levels: ${excerpt(level)} and ${excerpt(earlier)} differ only in how their accents are encoded (NFC or NFD); list the level once`,
          );
        seen.set(key, level);
      }
    }
    return { id, scale, levels };
  });
}
