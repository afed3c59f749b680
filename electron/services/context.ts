import type { Database } from '../db/database';
import type { EventHub } from './events';
import type { JobRunner } from './jobs';
import type { Logger } from './logger';

/** What every handler may use. Built once per process by `createServices`. */
export interface ServiceContext {
  productName: string;
  appVersion: string;
  dataDir: string;
  schemaVersion: number;
  shell: 'electron' | 'host';
  db: Database;
  events: EventHub;
  jobs: JobRunner;
  logger: Logger;
  /** What only a shell can do (the native folder dialog); absent in the browser host. */
  platform: PlatformCapabilities;
}

export interface PlatformCapabilities {
  chooseFolder?: () => Promise<string | null>;
}
