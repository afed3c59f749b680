import { useEffect, useState } from 'react';
import type { AppInfo, ReaderClient } from '../../core/ipc/contract';
import type { Connection } from '../api/connectReader';
import { HomeScreen } from '../features/home/HomeScreen';
import { ImportScreen } from '../features/import/ImportScreen';
import { SeriesBrowser } from '../features/browse/SeriesBrowser';
import { ViewerScreen } from '../features/viewer/ViewerScreen';
import { LetbScreen } from '../features/letb/LetbScreen';

export type Route =
  | { name: 'home' }
  | { name: 'import' }
  | { name: 'series' }
  | { name: 'viewer'; seriesInstanceUid: string }
  | { name: 'letb'; arterialSeriesUid: string };

export function App({ connection }: { connection: Connection }) {
  if (!connection.ok) {
    return (
      <main className="screen" data-testid="connection-error">
        <h1>Concord</h1>
        <p className="error" role="alert">{connection.message}</p>
      </main>
    );
  }
  return <Shell client={connection.client} />;
}

function Shell({ client }: { client: ReaderClient }) {
  const [route, setRoute] = useState<Route>({ name: 'home' });
  const [info, setInfo] = useState<AppInfo | undefined>();
  useEffect(() => {
    void client.getAppInfo(undefined).then((r) => r.ok && setInfo(r.value));
  }, [client]);
  const tab = (name: Route['name'], label: string) => (
    <button type="button" className={`tab ${route.name === name ? 'tab-active' : ''}`} onClick={() => setRoute({ name } as Route)} data-testid={`nav-${name}`}>
      {label}
    </button>
  );
  return (
    <div className="shell">
      <nav className="topbar">
        <span className="brand">Concord</span>
        {tab('home', 'Home')}
        {tab('import', 'Import')}
        {tab('series', 'Series')}
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
      {route.name === 'letb' && <LetbScreen client={client} arterialSeriesUid={route.arterialSeriesUid} onBack={() => setRoute({ name: 'series' })} />}
      {route.name === 'viewer' && <ViewerScreen client={client} seriesInstanceUid={route.seriesInstanceUid} onBack={() => setRoute({ name: 'series' })} />}
    </div>
  );
}
