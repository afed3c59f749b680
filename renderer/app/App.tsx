import type { Connection } from '../api/connectReader';
import { HomeScreen } from '../features/home/HomeScreen';

export function App({ connection }: { connection: Connection }) {
  if (!connection.ok) {
    return (
      <main className="screen" data-testid="connection-error">
        <h1>Concord</h1>
        <p className="error" role="alert">{connection.message}</p>
      </main>
    );
  }
  return <HomeScreen client={connection.client} />;
}
