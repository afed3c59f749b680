import sqlite3 from 'sqlite3';
import { AppException } from '../../core/ipc/result';
import type { AuditChain } from './auditChain';

export type SqlParams = readonly unknown[] | Record<string, unknown>;

/**
 * A promise wrapper over one sqlite3 connection. Transactions are queued: sqlite3 runs
 * statements of one connection in order, so two interleaved async transactions would
 * otherwise nest BEGINs on the same connection.
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /**
   * The data folder's keyed audit chain, set by `openDatabase`: `appendAudit` MACs rows with it,
   * and every commit that appended rows anchors the new chain head outside the database.
   */
  auditChain: AuditChain | undefined;

  private constructor(
    private readonly db: sqlite3.Database,
    readonly path: string,
  ) {}

  static open(path: string, mode: 'readwrite' | 'readonly' = 'readwrite'): Promise<Database> {
    const flags = mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(path, flags, (err) => {
        if (err) reject(toDbException(err, `open ${mode}`));
        else resolve(new Database(db, path));
      });
    });
  }

  run(sql: string, params: SqlParams = []): Promise<{ lastID: number; changes: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(toDbException(err, sql));
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (err: Error | null, row: T | undefined) => {
        if (err) reject(toDbException(err, sql));
        else resolve(row);
      });
    });
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (err: Error | null, rows: T[]) => {
        if (err) reject(toDbException(err, sql));
        else resolve(rows);
      });
    });
  }

  /** Runs several `;`-separated statements without parameters (migrations, pragmas). */
  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err: Error | null) => (err ? reject(toDbException(err, sql)) : resolve()));
    });
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT, rolling back when it throws. Calls are queued,
   * so callers never see another transaction's writes half done. After a commit that appended
   * audit rows, the chain head is anchored (fsynced) before this resolves.
   */
  transaction<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await this.exec('BEGIN IMMEDIATE');
      let value: T;
      try {
        value = await work(this);
        await this.exec('COMMIT');
      } catch (err) {
        this.auditChain?.rolledBack();
        await this.exec('ROLLBACK').catch(() => undefined); // the original error is what matters
        throw err;
      }
      await this.auditChain?.committed();
      return value;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve, reject) => {
      this.db.close((err) => (err ? reject(toDbException(err, 'close')) : resolve()));
    });
  }
}

interface SqliteError extends Error {
  code?: string;
}

/** Keeps SQL out of the user-facing message; the statement rides along as `cause` for logs. */
function toDbException(err: Error, context: string): AppException {
  const code = (err as SqliteError).code ?? 'SQLITE_ERROR';
  const reason = err.message.replace(/^SQLITE_[A-Z_]+: /, '');
  return new AppException('DB', `Database error (${code}): ${reason}`, {
    cause: Object.assign(err, { context: context.slice(0, 500) }),
  });
}
