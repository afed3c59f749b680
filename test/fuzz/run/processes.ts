import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../../electron/platform/paths';
import type { WorkerReply, WorkerRequest } from '../child/protocol';

/**
 * Child processes of the campaign, each watched for the three ways a hostile input can hurt
 * besides a wrong answer: it exits abnormally (crash), it runs past its time (hang), or its
 * resident memory passes a cap (memory). Memory is sampled from /proc/<pid>/status every 50 ms
 * (VmHWM, the kernel's own peak) and, for real CLI runs, read exactly at exit from
 * process.resourceUsage().maxRSS through a preloaded module (rusage.mjs).
 */

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export type Abnormal =
  { kind: 'crash'; detail: string } | { kind: 'hang'; detail: string } | { kind: 'memory'; detail: string };

export interface Watched {
  peakRssMb: number;
  ms: number;
}

const workerScript = fileURLToPath(new URL('../child/worker.ts', import.meta.url));
const rusageModule = fileURLToPath(new URL('../child/rusage.mjs', import.meta.url));
const concordBin = join(projectRoot, 'bin', 'concord.mjs');

function procMemoryMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls a child's memory and kills it (SIGKILL) when it passes `capMb`: VmHWM (peak since start)
 * for a child that runs one command, VmRSS (now) for the long-lived worker.
 */
function watchMemory(
  child: ChildProcess,
  capMb: number,
  onCap: (mb: number) => void,
  field: 'VmHWM' | 'VmRSS' = 'VmHWM',
): { peak(): number; stop(): void } {
  let peak = 0;
  const timer = setInterval(() => {
    const mb = procMemoryMb(child.pid, field);
    if (mb === undefined) return;
    peak = Math.max(peak, mb);
    if (mb > capMb) {
      onCap(mb);
      child.kill('SIGKILL');
    }
  }, 50);
  timer.unref();
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

export interface BinResult extends Watched {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  abnormal?: Abnormal;
}

/**
 * Runs the real `concord` command (bin/concord.mjs, as a user runs it) with its exact peak memory.
 * Exit codes 0-2 and 130 are the CLI's own; anything else, or a signal, is a crash.
 */
export function runConcord(
  argv: readonly string[],
  options: { timeoutMs: number; rssCapMb: number; scratchDir: string },
): Promise<BinResult> {
  const rusageFile = join(
    options.scratchDir,
    `rusage-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  );
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', rusageModule, concordBin, ...argv], {
      cwd: projectRoot,
      env: { ...process.env, CONCORD_FUZZ_RUSAGE: rusageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-64 * 1024)));
    let abnormal: Abnormal | undefined;
    const memory = watchMemory(
      child,
      options.rssCapMb,
      (mb) =>
        (abnormal ??= {
          kind: 'memory',
          detail: `killed at ${Math.round(mb)} MB resident (cap ${options.rssCapMb} MB)`,
        }),
    );
    const timer = setTimeout(() => {
      abnormal ??= { kind: 'hang', detail: `no exit after ${options.timeoutMs / 1000} s` };
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      memory.stop();
      let peakRssMb = memory.peak();
      try {
        peakRssMb = Math.max(
          peakRssMb,
          (JSON.parse(readFileSync(rusageFile, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024,
        );
        rmSync(rusageFile, { force: true });
      } catch {
        // killed before its exit hook ran: the sampled peak stands
      }
      if (!abnormal && (signal !== null || (code !== null && ![0, 1, 2, 130].includes(code)))) {
        abnormal = { kind: 'crash', detail: `exit ${signal ?? code}: ${lastLines(stderr)}` };
      }
      resolve({ code, signal, stdout, stderr, peakRssMb, ms: Date.now() - started, ...(abnormal ? { abnormal } : {}) });
    });
  });
}

export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ').slice(0, 600);
}

/**
 * The worker child (child/worker.ts under tsx): one request at a time, each with a timeout. A
 * request during which the child dies, overruns its time or passes the memory cap comes back
 * as `abnormal`, and the next request starts a fresh child.
 */
export class FuzzWorker {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private stderr = '';
  peakRssMb = 0;
  restarts = 0;

  constructor(private readonly rssCapMb: number) {}

  private start(): Promise<void> {
    this.stderr = '';
    const child = fork(workerScript, [], {
      cwd: projectRoot,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (this.stderr = (this.stderr + t).slice(-16 * 1024)));
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code, signal) =>
        reject(new Error(`fuzz worker did not start (exit ${signal ?? code}): ${lastLines(this.stderr)}`)),
      );
    });
  }

  /** Requests wait for each other: the child, its timer and its memory watch serve one at a time. */
  request<T>(
    req: WithoutId<WorkerRequest>,
    timeoutMs: number,
  ): Promise<({ value: T } | { abnormal: Abnormal } | { thrown: string }) & Watched> {
    const run = this.queue.then(() => this.send<T>(req, timeoutMs));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private queue: Promise<void> = Promise.resolve();

  private async send<T>(
    req: WithoutId<WorkerRequest>,
    timeoutMs: number,
  ): Promise<({ value: T } | { abnormal: Abnormal } | { thrown: string }) & Watched> {
    if (!this.child) this.ready = this.start();
    await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    const started = Date.now();
    return new Promise((resolve) => {
      let abnormal: Abnormal | undefined;
      const memory = watchMemory(
        child,
        this.rssCapMb,
        (mb) =>
          (abnormal ??= {
            kind: 'memory',
            detail: `killed at ${Math.round(mb)} MB resident (cap ${this.rssCapMb} MB)`,
          }),
        'VmRSS',
      );
      const finish = (r: { value: T } | { abnormal: Abnormal } | { thrown: string }) => {
        clearTimeout(timer);
        memory.stop();
        child.off('message', onMessage);
        child.off('exit', onExit);
        this.peakRssMb = Math.max(this.peakRssMb, memory.peak());
        resolve({ ...r, peakRssMb: memory.peak(), ms: Date.now() - started });
      };
      const onMessage = (raw: unknown) => {
        const reply = raw as WorkerReply;
        if (reply.id !== id) return;
        finish(reply.thrown !== undefined ? { thrown: reply.thrown } : { value: reply.value as T });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        this.restarts++;
        finish({
          abnormal: abnormal ?? { kind: 'crash', detail: `worker exit ${signal ?? code}: ${lastLines(this.stderr)}` },
        });
      };
      const timer = setTimeout(() => {
        abnormal ??= { kind: 'hang', detail: `no answer after ${timeoutMs / 1000} s` };
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      try {
        child.send({ ...req, id } as WorkerRequest);
      } catch {
        child.kill('SIGKILL'); // the channel is gone: onExit reports it
      }
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  }
}
