/** Messages between the campaign and its worker child (worker.ts). */
export type WorkerRequest =
  | { id: number; op: 'cli'; argv: string[] }
  | { id: number; op: 'inventory'; dataDir: string }
  | { id: number; op: 'load'; dataDir: string; seriesInstanceUid: string }
  | { id: number; op: 'close' }
  /** For the runner's own tests: die, spin or eat memory on purpose. */
  | { id: number; op: 'misbehave'; how: 'crash' | 'hang' | 'eat' };

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface Inventory {
  /** Per series: instance rows and a digest of them (every column). */
  series: Record<string, { instances: number; digest: string }>;
  /** Indexed file path → its series. */
  files: Record<string, string>;
  emptySeries: string[];
}

export type LoadResult =
  | { ok: true; dims: number[]; digest: string; warnings: string[] }
  | { ok: false; error: { code: string; message: string } };

export interface WorkerReply {
  id: number;
  value?: unknown;
  /** The harness's own failure (e.g. a database it could not open). */
  thrown?: string;
}
