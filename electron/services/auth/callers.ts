/** Who is behind a transport connection. */
export type Caller =
  | { kind: 'unsigned'; connection: string }
  | { kind: 'user'; connection: string; userId: number; studyId: number; role: 'coordinator' | 'reader'; displayName: string };

/**
 * Sign-ins per transport connection (an Electron window's webContents, a browser page of the
 * host). The main process decides who calls; the renderer only holds the connection.
 */
export class CallerRegistry {
  private readonly users = new Map<string, Extract<Caller, { kind: 'user' }>>();

  get(connection: string): Caller {
    return this.users.get(connection) ?? { kind: 'unsigned', connection };
  }

  signIn(connection: string, user: Omit<Extract<Caller, { kind: 'user' }>, 'kind' | 'connection'>): Caller {
    const caller = { kind: 'user' as const, connection, ...user };
    this.users.set(connection, caller);
    return caller;
  }

  signOut(connection: string): void {
    this.users.delete(connection);
  }
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
