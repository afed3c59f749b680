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
}
