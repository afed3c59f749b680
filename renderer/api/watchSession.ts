import { readerChannels, type ReaderClient, type ReaderMethod } from '../../core/ipc/contract';
import type { Result } from '../../core/ipc/result';

/**
 * The same client, telling `onEnded` whenever a call finds the session over (SESSION_ENDED:
 * idle or absolute timeout, sign-out elsewhere, a restart), so the app can go back to the
 * sign-in screen with the reason, whichever screen made the call. Both transports.
 */
export function watchSession(client: ReaderClient, onEnded: (message: string) => void): ReaderClient {
  const watched: Record<string, unknown> = { onJobProgress: client.onJobProgress.bind(client) };
  for (const method of Object.keys(readerChannels) as ReaderMethod[]) {
    const call = client[method] as (req: unknown) => Promise<Result<unknown>>;
    watched[method] = async (req: unknown) => {
      const result = await call.call(client, req);
      if (!result.ok && result.error.code === 'SESSION_ENDED') onEnded(result.error.message);
      return result;
    };
  }
  return watched as unknown as ReaderClient;
}
