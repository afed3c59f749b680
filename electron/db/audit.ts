import { createHash } from 'node:crypto';
import type { Database } from './database';

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

export const genesisHash = '0'.repeat(64);

interface AuditRow {
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

/** sha256 over the previous hash and the row's fields, in a fixed order (JSON array). */
function rowHash(prevHash: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([r.id, r.at, r.actor, r.action, r.entity, r.entity_id, r.before_json, r.after_json]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Appends one audit row chained to the last one. Call it inside the transaction of the write
 * it records, so a write and its audit row land together or not at all.
 */
export async function appendAudit(db: Database, e: AuditEntry): Promise<void> {
  const last = await db.get<{ id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const row = {
    id: (last?.id ?? 0) + 1,
    at: new Date().toISOString(),
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId === null ? null : String(e.entityId),
    before_json: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
    after_json: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
  };
  const prevHash = last?.hash ?? genesisHash;
  await db.run(
    'INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [row.id, row.at, row.actor, row.action, row.entity, row.entity_id, row.before_json, row.after_json, prevHash, rowHash(prevHash, row)],
  );
}

export type AuditVerification = { rows: number; ok: true } | { rows: number; ok: false; firstBrokenRow: { id: number; reason: string } };

/**
 * Walks the chain from the first row: ids consecutive from 1, each prev_hash equal to the
 * previous row's hash, each hash recomputed from the row. Reports the first row that fails.
 */
export async function verifyAudit(db: Database): Promise<AuditVerification> {
  const rows = await db.all<AuditRow>('SELECT * FROM audit_log ORDER BY id');
  let prev = genesisHash;
  for (const [n, r] of rows.entries()) {
    const broken = (reason: string): AuditVerification => ({ rows: rows.length, ok: false, firstBrokenRow: { id: r.id, reason } });
    if (r.id !== n + 1) return broken(`row id ${r.id} where ${n + 1} was expected (a row is missing)`);
    if (r.prev_hash !== prev) return broken('its previous-hash does not match the row before it (a row was removed or replaced)');
    if (rowHash(prev, r) !== r.hash) return broken('its contents do not match its hash (the row was edited)');
    prev = r.hash;
  }
  return { rows: rows.length, ok: true };
}
