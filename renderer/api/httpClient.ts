import {
  readerChannels,
  readerEventChannels,
  type JobProgress,
  type ReaderClient,
  type ReaderEventName,
  type ReaderMethod,
} from '../../core/ipc/contract';
import { failure, isResult, type Result } from '../../core/ipc/result';
import { binaryJsonContentType, decodeBinaryJson } from '../../core/ipc/binaryJson';

export const secretHeader = 'X-Concord-Secret';

/**
 * The browser-host transport: contract calls as `POST /api/<method>` with the launch secret
 * in a header, push events from `GET /api/events` read as a fetch stream (EventSource cannot
 * send the header). Transport failures come back as Results, like every other failure.
 */
export function createHttpClient(secret: string, origin = window.location.origin): ReaderClient {
  // This page's connection: the host keeps its sign-in and sends it only its own job events.
  const clientId = crypto.randomUUID().replace(/-/g, '');
  const headers = { [secretHeader]: secret, 'X-Concord-Client': clientId };
  const client: Record<string, unknown> = {};
  for (const method of Object.keys(readerChannels) as ReaderMethod[]) {
    client[method] = (req: unknown) => call(origin, headers, method, req);
  }
  const events = createEventStream(origin, headers);
  client.onJobProgress = (listener: (event: JobProgress) => void) => events.subscribe('jobProgress', listener);
  return client as unknown as ReaderClient;
}

async function call(origin: string, headers: Record<string, string>, method: string, req: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: req === undefined ? '' : JSON.stringify(req),
    });
  } catch {
    return failure('IO', 'Concord host is not reachable: is "npm run serve" still running?');
  }
  const body: unknown = (response.headers.get('Content-Type') ?? '').startsWith(binaryJsonContentType)
    ? await response.arrayBuffer().then((b) => decodeBinaryJson(new Uint8Array(b))).catch(() => undefined)
    : await response.json().catch(() => undefined);
  if (isResult(body)) return body;
  return failure('INTERNAL', `Unexpected answer from the Concord host (HTTP ${response.status}).`);
}

type Listener = (payload: never) => void;

function createEventStream(origin: string, headers: Record<string, string>) {
  const listeners = new Map<ReaderEventName, Set<Listener>>();
  let started = false;

  async function run(): Promise<void> {
    for (;;) {
      try {
        const response = await fetch(`${origin}/api/events`, { headers });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // The host went away or restarted; retry below. Calls report their own errors.
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  function dispatch(block: string): void {
    let name = '';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) name = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!(name in readerEventChannels) || !data) return;
    const payload = JSON.parse(data) as never;
    for (const listener of listeners.get(name as ReaderEventName) ?? []) listener(payload);
  }

  return {
    subscribe<K extends ReaderEventName>(name: K, listener: (payload: never) => void): () => void {
      if (!started) {
        started = true;
        void run();
      }
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
