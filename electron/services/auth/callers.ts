/**
 * How a call reached the services. Transports build one per call; none of its fields is a
 * credential except `sessionToken`, which is checked against the hashes of live sessions.
 */
export interface CallChannel {
  /**
   * The window or page the call came from: job events go there, and an unsigned caller's jobs
   * are that connection's. Never a credential (a browser page picks its own).
   */
  connection: string;
  /** Who is at the other end, for sign-in throttling (the host's peer address, a desktop window). */
  source: string;
  /** The session token this call carried (browser host: a header), if any. */
  sessionToken?: string;
  /**
   * Hands the client a new session token after a sign-in, or null to make it drop the one it
   * has. Transports that keep the token themselves (the desktop main process) bind it instead.
   */
  deliverToken(token: string | null): void;
}

/** A signed-in user's session (kept in memory: a restart signs everyone out). */
export interface SessionInfo {
  /**
   * A random public handle: names the session in the audit trail and owns its jobs. Knowing it
   * gives nothing; only the token (never stored, only its SHA-256) signs calls in.
   */
  id: string;
  userId: number;
  studyId: number;
  role: 'coordinator' | 'reader';
  displayName: string;
  source: string;
  createdMs: number;
  lastCallMs: number;
}

/** Who is behind a call. */
export type Caller =
  | { kind: 'unsigned'; connection: string; channel: CallChannel }
  | {
      kind: 'user';
      connection: string;
      channel: CallChannel;
      session: SessionInfo;
      userId: number;
      studyId: number;
      role: 'coordinator' | 'reader';
      displayName: string;
    };

/** An unsigned caller on a connection that carries no token (jobs the services start for themselves, tests). */
export function unsignedCaller(connection: string): Caller {
  return { kind: 'unsigned', connection, channel: { connection, source: connection, deliverToken: () => undefined } };
}

/** The owner of a session's jobs. */
export const sessionJobOwner = (sessionId: string): string => `session:${sessionId}`;

/** Who owns a caller's jobs: its session, or — unsigned — its connection. */
export function jobOwner(caller: Caller): string {
  return caller.kind === 'user' ? sessionJobOwner(caller.session.id) : `connection:${caller.connection}`;
}

/**
 * What a contract method needs from its caller:
 * - anyone: no data beyond the app itself (app info, study names, sign-in);
 * - coordinator: the coordinator of a study, or — while no reading study exists yet — the
 *   unsigned local user setting things up (imports, series with patient identity, LETB);
 *   once a study exists every coordinator-level call needs a coordinator sign-in;
 * - reader: a signed-in reader (their own reads only, checked by the method).
 */
export type Access = 'anyone' | 'coordinator' | 'reader';
