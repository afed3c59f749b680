import type { CallChannel } from './callers';

/**
 * For transports whose connection is itself authenticated — a desktop window (Electron checks
 * every IPC sender), the CLI, tests — the session token is kept here, by connection, in place of
 * a client that would keep it: the renderer of a desktop window never sees its token. The
 * browser host does not use this: its pages keep their own token and send it as a header, and
 * its connection ids (chosen by the page) are never enough to act as anyone.
 */
export class BoundChannels {
  private readonly tokens = new Map<string, string>();

  channel(connection: string): CallChannel {
    const token = this.tokens.get(connection);
    return {
      connection,
      source: connection,
      ...(token !== undefined ? { sessionToken: token } : {}),
      deliverToken: (next) => {
        // Dropping only the token this call carried: a sign-in may have replaced it meanwhile.
        if (next !== null) this.tokens.set(connection, next);
        else if (this.tokens.get(connection) === token) this.tokens.delete(connection);
      },
    };
  }
}
