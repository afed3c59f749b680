import { afterEach, beforeEach } from 'vitest';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { makeTempDir } from './tempDir';

/**
 * Fresh services on a new on-disk data folder for each test of the calling file, closed and
 * removed after it. Read `env.services` and `env.dir` inside tests.
 */
export function useTempServices(): { readonly services: Services; readonly dir: string } {
  let services: Services | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;
  beforeEach(async () => {
    temp = makeTempDir();
    services = await createServices({ dataDir: temp.path, shell: 'host', logger: silentLogger });
  });
  afterEach(async () => {
    await services?.close();
    temp?.cleanup();
  });
  return {
    get services() {
      return services!;
    },
    get dir() {
      return temp!.path;
    },
  };
}
