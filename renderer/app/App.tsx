import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo, ReaderClient, StudyUser } from '../../core/ipc/contract';
import type { Connection } from '../api/connectReader';
import { watchSession } from '../api/watchSession';
import { HomeScreen } from '../features/home/HomeScreen';
import { ImportScreen } from '../features/import/ImportScreen';
import { SeriesBrowser } from '../features/browse/SeriesBrowser';
import { ViewerScreen } from '../features/viewer/ViewerScreen';
import { LetbScreen } from '../features/letb/LetbScreen';
import { StudiesScreen } from '../features/studies/StudiesScreen';
import { StudyDashboard } from '../features/studies/StudyDashboard';
import { WorklistScreen } from '../features/reading/WorklistScreen';
import { ReadingScreen } from '../features/reading/ReadingScreen';

export type Route =
  | { name: 'home' }
  | { name: 'import' }
  | { name: 'series' }
  | { name: 'viewer'; seriesInstanceUid: string }
  | { name: 'letb'; arterialSeriesUid: string }
  /** Reading studies: sign in, or create one. */
  | { name: 'studies' }
  /** The coordinator's study: protocol, readers, cases, progress, unblinding, export. */
  | { name: 'study'; studyId: number }
  /** The signed-in reader's worklist. */
  | { name: 'worklist' }
  /** A reader's read of one case. */
  | { name: 'read'; caseId: number };

/** Who is signed in on this window, as the main process says (whoAmI). */
export interface Session {
  user: StudyUser | null;
  /** Asks the main process again, after a sign-in or sign-out. */
  refresh(): Promise<StudyUser | null>;
  /** Why the last session ended by itself (timeout, restart), shown on the sign-in screen; cleared by a sign-in. */
  endedMessage: string | undefined;
}

export function App({ connection }: { connection: Connection }) {
  if (!connection.ok) {
    return (
      <main className="screen" data-testid="connection-error">
        <h1>Concord</h1>
        <p className="error" role="alert">
          {connection.message}
        </p>
      </main>
    );
  }
  return <Shell client={connection.client} />;
}

function Shell({ client: transport }: { client: ReaderClient }) {
  const [route, setRoute] = useState<Route>({ name: 'home' });
  const [info, setInfo] = useState<AppInfo | undefined>();
  const [user, setUser] = useState<StudyUser | null>(null);
  const [endedMessage, setEndedMessage] = useState<string | undefined>();
  // A session that ends by itself (idle or absolute timeout) sends whoever was working back to sign in.
  const client = useMemo(
    () =>
      watchSession(transport, (message) => {
        setUser(null);
        setEndedMessage(message);
        setRoute({ name: 'studies' });
      }),
    [transport],
  );
  const refresh = useCallback(async () => {
    const r = await client.whoAmI(undefined);
    const u = r.ok ? r.value : null;
    setUser(u);
    if (u) setEndedMessage(undefined);
    return u;
  }, [client]);
  useEffect(() => {
    void client.getAppInfo(undefined).then((r) => r.ok && setInfo(r.value));
    // A reader whose window is already signed in (desktop reload) starts at the worklist.
    void refresh().then((u) => u?.role === 'reader' && setRoute((r) => (r.name === 'home' ? { name: 'worklist' } : r)));
  }, [client, refresh]);
  const session: Session = { user, refresh, endedMessage };
  const isReader = user?.role === 'reader';
  const tab = (name: Route['name'], label: string, to: Route = { name } as Route) => (
    <button
      type="button"
      className={`tab ${route.name === name ? 'tab-active' : ''}`}
      onClick={() => setRoute(to)}
      data-testid={`nav-${name}`}
    >
      {label}
    </button>
  );
  async function signOut() {
    await client.signOut(undefined);
    await refresh();
    setRoute({ name: 'studies' });
  }
  return (
    <div className="shell">
      <nav className="topbar">
        <span className="brand">Concord</span>
        {/* A reader sees only the reading tabs; the main process refuses the rest anyway. */}
        {!isReader && tab('home', 'Home')}
        {!isReader && tab('import', 'Import')}
        {!isReader && tab('series', 'Series')}
        {tab('studies', 'Studies')}
        {user?.role === 'coordinator' && tab('study', 'My study', { name: 'study', studyId: user.studyId })}
        {isReader && tab('worklist', 'Worklist')}
        {user && (
          <span className="signed-in" data-testid="signed-in">
            {user.displayName}{' '}
            <span className="muted">
              ({user.role}, {user.studyName})
            </span>
            <button
              type="button"
              className="secondary small-button"
              onClick={() => void signOut()}
              data-testid="sign-out"
            >
              Sign out
            </button>
          </span>
        )}
      </nav>
      {route.name === 'home' && <HomeScreen client={client} onNavigate={setRoute} />}
      {route.name === 'import' && <ImportScreen client={client} shell={info?.shell} onNavigate={setRoute} />}
      {route.name === 'series' && (
        <SeriesBrowser
          client={client}
          onOpen={(seriesInstanceUid) => setRoute({ name: 'viewer', seriesInstanceUid })}
          onLetb={(arterialSeriesUid) => setRoute({ name: 'letb', arterialSeriesUid })}
        />
      )}
      {route.name === 'letb' && (
        <LetbScreen
          client={client}
          arterialSeriesUid={route.arterialSeriesUid}
          onBack={() => setRoute({ name: 'series' })}
        />
      )}
      {route.name === 'viewer' && (
        <ViewerScreen
          client={client}
          seriesInstanceUid={route.seriesInstanceUid}
          onBack={() => setRoute({ name: 'series' })}
        />
      )}
      {route.name === 'studies' && <StudiesScreen client={client} session={session} onNavigate={setRoute} />}
      {route.name === 'study' && (
        <StudyDashboard client={client} session={session} studyId={route.studyId} onNavigate={setRoute} />
      )}
      {route.name === 'worklist' && (
        <WorklistScreen client={client} onOpen={(caseId) => setRoute({ name: 'read', caseId })} />
      )}
      {route.name === 'read' && (
        <ReadingScreen client={client} caseId={route.caseId} onBack={() => setRoute({ name: 'worklist' })} />
      )}
    </div>
  );
}
