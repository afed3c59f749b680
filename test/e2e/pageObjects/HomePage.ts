import type { Locator, Page } from '@playwright/test';

export class HomePage {
  readonly appName: Locator;
  readonly version: Locator;
  readonly dataDir: Locator;
  /** What start-up tightened in the data folder's permissions, on the data-folder line. */
  readonly dataDirNotice: Locator;
  readonly schemaVersion: Locator;
  readonly shell: Locator;
  readonly checkButton: Locator;
  readonly checkStatus: Locator;
  readonly surfaceView: Locator;
  readonly surfaceCanvas: Locator;

  constructor(readonly page: Page) {
    this.appName = page.getByTestId('app-name');
    this.version = page.getByTestId('app-version');
    this.dataDir = page.getByTestId('data-dir');
    this.dataDirNotice = page.getByTestId('data-dir-notice');
    this.schemaVersion = page.getByTestId('schema-version');
    this.shell = page.getByTestId('shell');
    this.checkButton = page.getByTestId('db-check-start');
    this.checkStatus = page.getByTestId('db-check-status');
    this.surfaceView = page.getByTestId('surface-view');
    this.surfaceCanvas = page.getByTestId('surface-view').locator('canvas');
  }
}
