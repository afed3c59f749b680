import type { Database } from '../db/database';
import type { EventHub } from './events';
import type { JobRunner } from './jobs';
import type { Logger } from './logger';
import type { AuthService } from './auth/authService';

/** What every handler may use. Built once per process by `createServices`. */
export interface ServiceContext {
  productName: string;
  appVersion: string;
  dataDir: string;
  /** What start-up tightened in the data folder's permissions (null when it was already private). */
  dataFolderNotice: string | null;
  schemaVersion: number;
  shell: 'electron' | 'host';
  db: Database;
  events: EventHub;
  jobs: JobRunner;
  logger: Logger;
  /** What only a shell can do (the native folder dialog); absent in the browser host. */
  platform: PlatformCapabilities;
  /** Sign-in, sessions and their timeouts, sign-in throttling. */
  auth: AuthService;
  /** Reading studies in the database: once there is one, coordinator calls need a sign-in. */
  studyCount: number;
}

export interface PlatformCapabilities {
  chooseFolder?: () => Promise<string | null>;
  /** Prints an HTML file to PDF (the desktop shell's printToPDF); without it headless Chromium is used. */
  printPdf?: (htmlPath: string, pdfPath: string) => Promise<void>;
}
