import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppException } from '../../core/ipc/result';
import {
  AuditChain,
  auditAnchorFileName,
  auditKeyFileName,
  genesisHash,
  keyIdOf,
  loadAuditKey,
  type AuditHead,
} from './auditChain';
import type { Database } from './database';

export type { AuditHead };

export interface AuditEntry {
  /** Who made the change: a reader or coordinator id, or "local" before studies have users. */
  actor: string;
  /** What happened, e.g. "letb.placement.save", "series.phase.set". */
  action: string;
  entity: string;
  entityId: string | number | null;
  before: unknown;
  after: unknown;
}

/** One row of audit_log as stored. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/** The row's fields in a fixed order (JSON array): what each row's hash or MAC covers, after the previous one. */
const canonical = (r: Omit<AuditRow, 'hash' | 'prev_hash'>) =>
  JSON.stringify([r.id, r.at, r.actor, r.action, r.entity, r.entity_id, r.before_json, r.after_json]);

/** The unkeyed SHA-256 chain of schema 4-8 (before 12): kept to verify rows written then. */
const legacyHash = (prevHash: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>) =>
  createHash('sha256').update(prevHash).update('\n').update(canonical(r)).digest('hex');

/** The action of the row that seals an unkeyed chain under the folder's key ("chain re-keyed at row N"). */
export const rekeyAction = 'audit.rekey';

function chainOf(db: Database): AuditChain {
  if (!db.auditChain) throw new Error('This database was opened without its audit key: open it with openDatabase.');
  return db.auditChain;
}

/**
 * Appends one audit row chained to the last one by an HMAC-SHA-256 under the data folder's key.
 * Call it inside the transaction of the write it records, so a write and its audit row land
 * together or not at all; the commit then anchors the new chain head outside the database.
 */
export async function appendAudit(db: Database, e: AuditEntry): Promise<void> {
  const chain = chainOf(db);
  const head = await auditHead(db);
  const row = {
    id: head.rows + 1,
    at: new Date().toISOString(),
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId === null ? null : String(e.entityId),
    before_json: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
    after_json: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
  };
  const prevHash = head.lastMac;
  const mac = chain.mac(prevHash, canonical(row));
  await db.run(
    'INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [row.id, row.at, row.actor, row.action, row.entity, row.entity_id, row.before_json, row.after_json, prevHash, mac],
  );
  chain.appended({ rows: row.id, lastMac: mac });
}

/** The current head of the audit trail (rows and last MAC), as printed in exports and reports. */
export async function auditHead(db: Database): Promise<AuditHead> {
  const last = await db.get<{ id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
  return { rows: last?.id ?? 0, lastMac: last?.hash ?? genesisHash };
}

export interface BrokenRow {
  /** The first audit row that fails, or null when no single row is at fault (e.g. the anchor file). */
  id: number | null;
  reason: string;
}

export type AuditVerification = { rows: number; ok: true } | { rows: number; ok: false; firstBrokenRow: BrokenRow };

/**
 * Walks the chain from the first row: ids consecutive from 1, each prev_hash the previous row's
 * hash, each MAC recomputed under the key. Rows from before the key existed (schema < 12) are
 * checked as the unkeyed SHA-256 chain they were written as, and must be sealed by a keyed
 * `audit.rekey` row that names their count; a chain with no keyed row fails at row 1 (re-chained
 * without the key).
 */
function walkChain(chain: AuditChain, rows: readonly AuditRow[]): BrokenRow | undefined {
  let prev = genesisHash;
  let keyed = false;
  for (const [n, r] of rows.entries()) {
    const broken = (reason: string): BrokenRow => ({ id: r.id, reason });
    if (r.id !== n + 1) return broken(`row id ${r.id} where ${n + 1} was expected (a row is missing, or was inserted)`);
    if (r.prev_hash !== prev)
      return broken('its previous-MAC does not match the row before it (a row was removed, inserted or replaced)');
    if (chain.mac(prev, canonical(r)) === r.hash) {
      if (!keyed && n > 0) {
        const legacyRows =
          r.action === rekeyAction
            ? (JSON.parse(r.before_json ?? '{}') as { legacyRows?: number }).legacyRows
            : undefined;
        if (legacyRows !== n)
          return broken(`a keyed row follows ${n} unkeyed rows without the re-keying row that seals them`);
      }
      keyed = true;
    } else if (keyed) {
      return broken(
        "its MAC does not verify under this data folder's key: the row was edited, or written without the key",
      );
    } else if (legacyHash(prev, r) !== r.hash) {
      return broken('its contents do not match its hash (the row was edited)');
    }
    prev = r.hash;
  }
  if (!keyed && rows.length > 0) {
    return {
      id: 1,
      reason: `none of the ${rows.length} rows is under this data folder's key: the chain was rewritten (or forged) without the key`,
    };
  }
  return undefined;
}

/**
 * The anchor against the chain (`count` rows; `hashAt(id)` the stored MAC of a row): the anchored
 * head must be a row of the chain with that MAC. Rows after it are fine when they verify under
 * the key (a crash between a commit and its anchor leaves that); fewer rows mean a cut tail.
 */
async function checkAnchor(
  chain: AuditChain,
  count: number,
  hashAt: (id: number) => Promise<string | undefined>,
): Promise<BrokenRow | undefined> {
  const anchor = await chain.readAnchor();
  if (anchor === 'missing') {
    return count === 0
      ? undefined
      : { id: null, reason: `the anchor file ${auditAnchorFileName} is missing, so a cut tail cannot be ruled out` };
  }
  if (anchor === 'altered')
    return {
      id: null,
      reason: `the anchor file ${auditAnchorFileName} was altered (it does not verify under this data folder's key)`,
    };
  if (anchor.rows > count) {
    return {
      id: count + 1,
      reason: `the chain ends at row ${count} but was anchored at ${anchor.rows} rows: rows ${count + 1}-${anchor.rows} were cut from the end`,
    };
  }
  const at = anchor.rows === 0 ? genesisHash : await hashAt(anchor.rows);
  if (at !== anchor.lastMac)
    return {
      id: anchor.rows || null,
      reason: `it is not the row that was anchored as row ${anchor.rows} (the chain was rewritten)`,
    };
  return undefined;
}

const shortJson = (v: string | null) => (v === null ? 'nothing' : v.length > 80 ? `${v.slice(0, 77)}...` : v);

/**
 * Replays the reads and their answers from the audit trail (read.start / submit / reopen, and
 * read.entry.save / clear) and compares them with the `reads` and `read_entries` tables: any
 * difference means a table was changed without its audit row. Returns the difference whose
 * audit row comes first (differences no audit row explains last).
 */
async function replayReads(db: Database, rows: readonly AuditRow[]): Promise<BrokenRow | undefined> {
  const reads = new Map<number, { state: string; submittedAt: string | null; row: number }>();
  const entries = new Map<string, { value: string | null; row: number }>();
  for (const r of rows) {
    if (r.entity === 'read' && r.entity_id !== null) {
      const id = Number(r.entity_id);
      const after = r.after_json ? (JSON.parse(r.after_json) as { submittedAt?: string }) : {};
      if (r.action === 'read.start') reads.set(id, { state: 'in_progress', submittedAt: null, row: r.id });
      else if (r.action === 'read.submit')
        reads.set(id, { state: 'submitted', submittedAt: after.submittedAt ?? null, row: r.id });
      else if (r.action === 'read.reopen') reads.set(id, { state: 'in_progress', submittedAt: null, row: r.id });
    } else if (
      r.entity === 'read_entry' &&
      r.entity_id !== null &&
      (r.action === 'read.entry.save' || r.action === 'read.entry.clear')
    ) {
      entries.set(r.entity_id, { value: r.action === 'read.entry.save' ? r.after_json : null, row: r.id });
    }
  }
  const found: BrokenRow[] = [];
  const differs = (row: number | null, what: string) =>
    found.push({ id: row, reason: `the tables disagree with the audit trail: ${what}` });

  const tableReads = await db.all<{ id: number; state: string; submitted_at: string | null }>(
    'SELECT id, state, submitted_at FROM reads ORDER BY id',
  );
  const seenReads = new Set<number>();
  for (const t of tableReads) {
    seenReads.add(t.id);
    const a = reads.get(t.id);
    if (!a) differs(null, `read ${t.id} is in the reads table, but no audit row starts it`);
    else if (a.state !== t.state)
      differs(a.row, `read ${t.id} is "${t.state}" in the reads table, but "${a.state}" after audit row ${a.row}`);
    else if (a.state === 'submitted' && a.submittedAt !== t.submitted_at)
      differs(
        a.row,
        `read ${t.id} was submitted at ${t.submitted_at ?? 'no time'} says the reads table, at ${a.submittedAt ?? 'no time'} says audit row ${a.row}`,
      );
  }
  for (const [id, a] of reads)
    if (!seenReads.has(id))
      differs(a.row, `read ${id} was started (audit row ${a.row}) but is missing from the reads table`);

  const tableEntries = await db.all<{ read_ref: number; timepoint: number; item: string; value_json: string }>(
    'SELECT read_ref, timepoint, item, value_json FROM read_entries',
  );
  const seenEntries = new Set<string>();
  for (const t of tableEntries) {
    const key = `${t.read_ref}/${t.timepoint}/${t.item}`;
    seenEntries.add(key);
    const a = entries.get(key);
    const what = `answer ${t.item} at timepoint ${t.timepoint} of read ${t.read_ref}`;
    if (!a) differs(null, `${what} is in the read_entries table, but no audit row records it`);
    else if (a.value !== t.value_json)
      differs(
        a.row,
        `${what} is ${shortJson(t.value_json)} in the read_entries table, but ${shortJson(a.value)} after audit row ${a.row}`,
      );
  }
  for (const [key, a] of entries) {
    if (a.value !== null && !seenEntries.has(key)) {
      const [readId, timepoint, ...item] = key.split('/');
      differs(
        a.row,
        `answer ${item.join('/')} at timepoint ${timepoint} of read ${readId} (audit row ${a.row}) is missing from the read_entries table`,
      );
    }
  }
  found.sort((x, y) => (x.id ?? Infinity) - (y.id ?? Infinity));
  return found[0];
}

/**
 * Heads printed in exports and reports against the chain: each must still be a row of it with
 * that MAC (catches a chain rebuilt since, even together with its key and anchor).
 */
function checkPrintedHeads(rows: readonly AuditRow[], printed: readonly AuditHead[]): BrokenRow | undefined {
  for (const h of printed) {
    if (h.rows > rows.length)
      return {
        id: rows.length + 1,
        reason: `a printed head names row ${h.rows}, but the chain ends at row ${rows.length}: rows were removed`,
      };
    const mac = h.rows === 0 ? genesisHash : rows[h.rows - 1]!.hash;
    if (mac !== h.lastMac.toLowerCase())
      return {
        id: h.rows,
        reason: `its MAC is not the one printed for it (${h.lastMac}): the chain was rewritten since`,
      };
  }
  return undefined;
}

/**
 * Verifies the audit trail of an open data folder: the keyed chain (edited, deleted, inserted or
 * re-chained rows), the anchor outside the database (a cut tail, a rewritten chain), the data
 * tables against a replay of the audit trail (reads and their answers changed by bare SQL) and,
 * when given, heads printed in exports and reports. Reports the first failing row and the reason.
 */
export async function verifyAudit(
  db: Database,
  options: { printedHeads?: readonly AuditHead[] } = {},
): Promise<AuditVerification> {
  const chain = chainOf(db);
  const rows = await db.all<AuditRow>('SELECT * FROM audit_log ORDER BY id');
  const broken =
    walkChain(chain, rows) ??
    (await checkAnchor(chain, rows.length, async (id) => rows[id - 1]?.hash)) ??
    (await replayReads(db, rows)) ??
    checkPrintedHeads(rows, options.printedHeads ?? []);
  return broken ? { rows: rows.length, ok: false, firstBrokenRow: broken } : { rows: rows.length, ok: true };
}

/**
 * Anchor files that a process killed mid-write left behind (the anchor itself is replaced by a
 * rename, so it is always whole). Only those older than a minute: another process may be writing.
 */
async function removeStalePartials(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const n of names) {
    if (!n.startsWith(`${auditAnchorFileName}.`) || !n.endsWith('.partial')) continue;
    const path = join(dataDir, n);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 60_000) await rm(path, { force: true }).catch(() => undefined);
  }
}

export interface OpenAuditOptions {
  /**
   * What to do when the anchor does not match the chain (rows cut from the end, a rewritten chain,
   * a missing or altered anchor): refuse to open (the app: nothing is written on top of the
   * evidence), or open anyway so that `concord audit-verify` can report it.
   */
  anchorMismatch: 'refuse' | 'report';
}

/**
 * Attaches the data folder's keyed audit chain to a freshly migrated database: loads the key (or
 * creates it for a folder that has none yet), seals an unkeyed chain from before schema 12 (after
 * verifying it) with a keyed `audit.rekey` row, and checks the anchor. Does nothing when the
 * database has no audit trail (test schemas).
 * @throws AppException('IO') when the folder's key is missing or is another folder's;
 *         AppException('DB') when the anchor does not match and `anchorMismatch` is 'refuse'
 */
export async function openAuditChain(db: Database, dataDir: string, options: OpenAuditOptions): Promise<void> {
  if (!(await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"))) return;
  const recordedKeyId = (await db.get<{ value: string }>("SELECT value FROM app_meta WHERE key = 'audit_key_id'"))
    ?.value;
  const keyPath = join(dataDir, auditKeyFileName);
  const key = await loadAuditKey(dataDir, recordedKeyId === undefined);
  if (!key) {
    throw new AppException(
      'IO',
      `The audit key ${keyPath} of this data folder is missing: its audit trail cannot be verified or continued. Restore the file from a backup of the data folder; nothing was changed.`,
    );
  }
  const keyId = keyIdOf(key);
  if (recordedKeyId !== undefined && recordedKeyId !== keyId) {
    throw new AppException(
      'IO',
      `${keyPath} is not this data folder's audit key (key ${keyId}, the database was sealed with ${recordedKeyId}). Restore the folder's own key; nothing was changed.`,
    );
  }
  const chain = new AuditChain(key, keyId, join(dataDir, auditAnchorFileName));
  db.auditChain = chain;
  const first = await db.get<AuditRow>('SELECT * FROM audit_log WHERE id = 1');
  const keyedAlready = first !== undefined && chain.mac(genesisHash, canonical(first)) === first.hash;

  if (recordedKeyId === undefined && !keyedAlready) {
    // A folder new to the key: an empty trail, or an unkeyed chain from before schema 12, which
    // is verified as it was written and sealed under the key ("chain re-keyed at row N").
    await db.transaction(async () => {
      // Checked again under the write lock: another process may have sealed the folder meanwhile.
      if (await db.get("SELECT 1 FROM app_meta WHERE key = 'audit_key_id'")) return;
      await db.run("INSERT INTO app_meta (key, value) VALUES ('audit_key_id', ?)", [keyId]);
      const rows = await db.all<AuditRow>('SELECT * FROM audit_log ORDER BY id');
      if (rows.length === 0) return;
      let prev = genesisHash;
      let legacy = 'intact';
      for (const [n, r] of rows.entries()) {
        if (r.id !== n + 1 || r.prev_hash !== prev || legacyHash(prev, r) !== r.hash) {
          legacy = `broken at row ${r.id}`;
          break;
        }
        prev = r.hash;
      }
      await appendAudit(db, {
        actor: 'local',
        action: rekeyAction,
        entity: 'audit_log',
        entityId: null,
        before: { legacyRows: rows.length, legacyHead: rows[rows.length - 1]!.hash, algorithm: 'sha256' },
        after: {
          note: `chain re-keyed at row ${rows.length + 1}`,
          algorithm: 'hmac-sha256',
          keyId,
          legacyChain: legacy,
        },
      });
    });
    await chain.writeAnchor(await auditHead(db));
    return;
  }
  await removeStalePartials(dataDir);

  const head = await auditHead(db);
  const hashAt = async (id: number) =>
    (await db.get<{ hash: string }>('SELECT hash FROM audit_log WHERE id = ?', [id]))?.hash;
  let problem = await checkAnchor(chain, head.rows, hashAt);
  const anchored = await chain.readAnchor();
  if (!problem && typeof anchored === 'object' && anchored.rows < head.rows) {
    // Rows committed after the last anchor (a crash in between): anchored again if they verify.
    const later = await db.all<AuditRow>('SELECT * FROM audit_log WHERE id > ? ORDER BY id', [anchored.rows]);
    let prev = anchored.lastMac;
    for (const [n, r] of later.entries()) {
      if (r.id !== anchored.rows + n + 1 || r.prev_hash !== prev || chain.mac(prev, canonical(r)) !== r.hash) {
        problem = {
          id: r.id,
          reason: `row ${r.id}, after the anchored head, does not verify under this data folder's key`,
        };
        break;
      }
      prev = r.hash;
    }
    if (!problem) await chain.writeAnchor(head);
  }
  if (problem) {
    if (options.anchorMismatch === 'refuse') {
      throw new AppException(
        'DB',
        `The audit trail of ${dataDir} does not match its anchor: ${problem.reason}. Rows may have been removed or rewritten outside Concord, or the database restored without the rest of its folder. Nothing was changed; "concord audit-verify --data-dir ${dataDir}" tells more.`,
      );
    }
    return;
  }
  if (recordedKeyId === undefined) {
    // The chain is under this key but the database forgot it (app_meta edited): record it again.
    await db.transaction(() => db.run("INSERT INTO app_meta (key, value) VALUES ('audit_key_id', ?)", [keyId]));
  }
}
