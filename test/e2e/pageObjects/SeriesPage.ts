import type { Locator, Page } from '@playwright/test';

export class SeriesPage {
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('series-row');
  }

  /** Rows by the attributes the table sets (text filters would match the phase menu's words). */
  row(filter: { modality?: string; phase?: string; grid?: string }): Locator {
    let selector = '[data-testid="series-row"]';
    if (filter.modality) selector += `[data-modality="${filter.modality}"]`;
    if (filter.phase) selector += `[data-phase="${filter.phase}"]`;
    const rows = this.page.locator(selector);
    return filter.grid ? rows.filter({ hasText: filter.grid }) : rows;
  }

  async open(row: Locator): Promise<void> {
    await row.getByTestId('series-open').click();
  }
}
