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
export const sessionHeader = 'X-Concord-Session';
const sessionKey = 'concord.session';

/**
 * The browser-host transport: contract calls as `POST /api/<method>` with the launch secret
 * and, once signed in, the session token as headers; push events from `GET /api/events` read
 * as a fetch stream (EventSource cannot send headers). The host hands a new token in the
 * `X-Concord-Session` response header after a sign-in ("none": drop it); the page keeps it in
 * this tab's sessionStorage (a reload stays signed in, other tabs and sites never see it) and
 * reopens the event stream under it. Transport failures come back as Results, like every
 * other failure.
 */
export function createHttpClient(secret: string, origin = window.location.origin): ReaderClient {
  // This page: its job events while nobody is signed in. Not a credential; the token is.
  const clientId = crypto.randomUUID().replace(/-/g, '');
  let token = sessionStorage.getItem(sessionKey);
  const headers = (): Record<string, string> => ({
    [secretHeader]: secret,
    'X-Concord-Client': clientId,
    ...(token ? { [sessionHeader]: token } : {}),
  });
  const events = createEventStream(origin, headers);
  const takeToken = (response: Response) => {
    const next = response.headers.get(sessionHeader);
    if (next === null) return;
    const value = next === 'none' ? null : next;
    if (value === token) return;
    token = value;
    if (token) sessionStorage.setItem(sessionKey, token);
    else sessionStorage.removeItem(sessionKey);
    events.restart();
  };
  const client: Record<string, unknown> = {};
  for (const method of Object.keys(readerChannels) as ReaderMethod[]) {
    client[method] = (req: unknown) => call(origin, headers(), method, req, takeToken);
  }
  client.onJobProgress = (listener: (event: JobProgress) => void) => events.subscribe('jobProgress', listener);
  return client as unknown as ReaderClient;
}

async function call(
  origin: string,
  headers: Record<string, string>,
  method: string,
  req: unknown,
  takeToken: (r: Response) => void,
): Promise<Result<unknown>> {
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
  takeToken(response);
  const body: unknown = (response.headers.get('Content-Type') ?? '').startsWith(binaryJsonContentType)
    ? await response
        .arrayBuffer()
        .then((b) => decodeBinaryJson(new Uint8Array(b)))
        .catch(() => undefined)
    : await response.json().catch(() => undefined);
  if (isResult(body)) return body;
  return failure('INTERNAL', `Unexpected answer from the Concord host (HTTP ${response.status}).`);
}

type Listener = (payload: never) => void;

function createEventStream(origin: string, headers: () => Record<string, string>) {
  const listeners = new Map<ReaderEventName, Set<Listener>>();
  let started = false;
  let current: AbortController | undefined;

  async function run(): Promise<void> {
    for (;;) {
      const controller = new AbortController();
      current = controller;
      try {
        const response = await fetch(`${origin}/api/events`, { headers: headers(), signal: controller.signal });
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
        // The host went away or restarted, or the session changed (restart() aborted this
        // stream); calls report their own errors.
      }
      // Reopened at once under a new session; after a second otherwise.
      if (!controller.signal.aborted) await new Promise((r) => setTimeout(r, 1000));
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
    /** The session changed: the stream is reopened with the new token (the host checks it per event anyway). */
    restart(): void {
      current?.abort();
    },
  };
}
