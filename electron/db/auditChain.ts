import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppException } from '../../core/ipc/result';
import { posixPermissions, privateFileMode } from './folderPermissions';

/** The key of a data folder's audit chain: 32 random bytes as hex, one line, mode 0600. */
export const auditKeyFileName = 'audit.key';
/** The chain head (row count and last MAC) after the last commit, MACed, mode 0600. */
export const auditAnchorFileName = 'audit-anchor.json';

/** How far the audit trail reached, as printed in every export and report. */
export interface AuditHead {
  /** Rows in the audit trail (ids run 1…rows). */
  rows: number;
  /** The newest row's MAC (hex), or 64 zeros before the first row. */
  lastMac: string;
}

export const genesisHash = '0'.repeat(64);

interface AnchorFile extends AuditHead {
  format: 'concord-audit-anchor';
  formatVersion: 1;
  /** HMAC-SHA-256 over "concord-audit-anchor\n<rows>\n<lastMac>" under the folder's key. */
  mac: string;
}

/**
 * The keyed audit chain of one data folder: HMAC-SHA-256 under a key kept outside the database
 * (`audit.key` in the data folder, 0600), so rows cannot be edited, forged or re-chained by
 * someone who has the database but not the key; and the anchor (`audit-anchor.json`: row count
 * and last MAC, itself MACed) written and fsynced after every commit that appended rows, so a cut
 * tail or a rolled-back database shows. The database wrapper calls `committed` / `rolledBack`.
 */
export class AuditChain {
  private pending: AuditHead | undefined;
  /** Where an anchor that could not be written is reported (the write itself committed). */
  warn: (message: string, err: unknown) => void = (message, err) => console.error(`[concord] ${message}`, err);

  constructor(
    private readonly key: Buffer,
    /** A short public fingerprint of the key (recorded in app_meta and in the re-keying row). */
    readonly keyId: string,
    readonly anchorPath: string,
  ) {}

  /** MAC of a row: HMAC-SHA-256(key, previous MAC + "\n" + the row's canonical text), hex. */
  mac(prevMac: string, canonicalRow: string): string {
    return createHmac('sha256', this.key).update(prevMac).update('\n').update(canonicalRow).digest('hex');
  }

  /** Called by appendAudit: the head to anchor once the transaction commits. */
  appended(head: AuditHead): void {
    this.pending = head;
  }

  async committed(): Promise<void> {
    const head = this.pending;
    this.pending = undefined;
    if (!head) return;
    try {
      await this.writeAnchor(head);
    } catch (err) {
      this.warn(
        `the audit anchor ${this.anchorPath} could not be written (the change itself is saved; the next change anchors again)`,
        err,
      );
    }
  }

  rolledBack(): void {
    this.pending = undefined;
  }

  anchorMac(head: AuditHead): string {
    return createHmac('sha256', this.key).update(`concord-audit-anchor\n${head.rows}\n${head.lastMac}`).digest('hex');
  }

  /** Writes the anchor atomically and durably: temporary file, fsync, rename, fsync of the folder. */
  async writeAnchor(head: AuditHead): Promise<void> {
    const anchor: AnchorFile = {
      format: 'concord-audit-anchor',
      formatVersion: 1,
      rows: head.rows,
      lastMac: head.lastMac,
      mac: this.anchorMac(head),
    };
    const tmp = `${this.anchorPath}.${process.pid}.partial`;
    const file = await open(tmp, 'w', privateFileMode);
    try {
      await file.writeFile(`${JSON.stringify(anchor)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.anchorPath);
    await syncFolder(dirname(this.anchorPath));
  }

  /**
   * The anchored head, `missing` when there is no anchor file, or `altered` when it is not one
   * this key wrote (unreadable, or its MAC does not verify).
   */
  async readAnchor(): Promise<AuditHead | 'missing' | 'altered'> {
    let text: string;
    try {
      text = await readFile(this.anchorPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw new AppException(
        'IO',
        `The audit anchor ${this.anchorPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: err },
      );
    }
    try {
      const a = JSON.parse(text) as Partial<AnchorFile>;
      if (
        a.format !== 'concord-audit-anchor' ||
        !Number.isSafeInteger(a.rows) ||
        (a.rows as number) < 0 ||
        typeof a.lastMac !== 'string' ||
        typeof a.mac !== 'string'
      )
        return 'altered';
      const head = { rows: a.rows as number, lastMac: a.lastMac };
      return sameHex(a.mac, this.anchorMac(head)) ? head : 'altered';
    } catch {
      return 'altered';
    }
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** fsync of a folder, so a rename in it survives a power cut (POSIX; Windows cannot open folders). */
async function syncFolder(dir: string): Promise<void> {
  if (!posixPermissions) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The public fingerprint of a key: the first 16 hex digits of HMAC(key, "concord-audit-key-id"). */
export const keyIdOf = (key: Buffer) =>
  createHmac('sha256', key).update('concord-audit-key-id').digest('hex').slice(0, 16);

/**
 * Reads the data folder's audit key, or creates it (32 bytes from the system's CSPRNG, 0600,
 * fsynced) when `create` allows. A key file that is not 64 hex digits is refused, never replaced.
 * @returns undefined when the file is missing and `create` is false
 * @throws AppException('IO') for a damaged or unreadable key file
 */
export async function loadAuditKey(dataDir: string, create: boolean): Promise<Buffer | undefined> {
  const path = join(dataDir, auditKeyFileName);
  if (!existsSync(path)) {
    if (!create) return undefined;
    const key = randomBytes(32);
    let file;
    try {
      file = await open(path, 'wx', privateFileMode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadAuditKey(dataDir, false);
      throw new AppException(
        'IO',
        `Cannot create the audit key ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`,
        { cause: err },
      );
    }
    try {
      await file.writeFile(`${key.toString('hex')}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await syncFolder(dataDir);
    return key;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new AppException(
      'IO',
      `Cannot read the audit key ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`,
      { cause: err },
    );
  }
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new AppException(
      'IO',
      `The audit key ${path} is damaged (it should hold 64 hexadecimal digits). Restore it from a backup of the data folder; nothing was changed.`,
    );
  }
  return Buffer.from(text, 'hex');
}
