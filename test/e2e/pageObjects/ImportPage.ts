import type { Locator, Page } from '@playwright/test';

export class ImportPage {
  readonly path: Locator;
  readonly start: Locator;
  readonly status: Locator;
  readonly summary: Locator;
  readonly skipped: Locator;
  readonly browse: Locator;

  constructor(readonly page: Page) {
    this.path = page.getByTestId('import-path');
    this.start = page.getByTestId('import-start');
    this.status = page.getByTestId('import-status');
    this.summary = page.getByTestId('import-summary');
    this.skipped = page.getByTestId('import-skipped');
    this.browse = page.getByTestId('import-browse');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-import').click();
  }

  async importFolder(folder: string): Promise<void> {
    await this.path.fill(folder);
    await this.start.click();
    await this.summary.waitFor({ timeout: 60_000 });
  }
}
