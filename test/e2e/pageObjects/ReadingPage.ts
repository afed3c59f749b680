import { expect, type Locator, type Page } from '@playwright/test';

/** The reader's worklist and reading screen (renderer/features/reading). */
export class ReadingPage {
  readonly worklist: Locator;
  readonly worklistRows: Locator;
  readonly screen: Locator;
  readonly view: Locator;
  readonly autosave: Locator;
  readonly undo: Locator;
  readonly submit: Locator;
  readonly submitError: Locator;
  readonly locked: Locator;
  readonly problems: Locator;
  readonly complete: Locator;
  readonly state: Locator;

  constructor(readonly page: Page) {
    this.worklist = page.getByTestId('worklist');
    this.worklistRows = page.locator('[data-testid^="worklist-row-"]');
    this.screen = page.getByTestId('reading-screen');
    this.view = page.getByTestId('read-view');
    this.autosave = page.getByTestId('autosave');
    this.undo = page.getByTestId('read-undo');
    this.submit = page.getByTestId('read-submit');
    this.submitError = page.getByTestId('read-submit-error');
    this.locked = page.getByTestId('read-locked');
    this.problems = page.getByTestId('read-problems');
    this.complete = page.getByTestId('read-complete');
    this.state = page.getByTestId('read-state');
  }

  /** Case codes in the order of this reader's worklist. */
  async worklistCodes(): Promise<string[]> {
    await expect(this.worklistRows.first()).toBeVisible();
    return (await this.worklistRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.replace('worklist-row-', ''))));
  }

  async openCase(code: string): Promise<void> {
    await this.page.getByTestId(`worklist-open-${code}`).click();
    await expect(this.view).toBeVisible({ timeout: 60_000 });
    await expect(this.page.getByTestId('read-slice')).toHaveText(/slice \d+ \/ \d+/);
  }

  cell(lesion: number, measure: 'longest' | 'viable', timepoint: number): Locator {
    return this.page.getByTestId(`cell-${lesion}-${measure}-${timepoint}`);
  }

  /** Picks a cell for the caliper and drags across the image from `from` to `to` (fractions of the view). */
  async measure(lesion: number, measure: 'longest' | 'viable', timepoint: number, from: [number, number], to: [number, number]): Promise<void> {
    await this.cell(lesion, measure, timepoint).locator('.cell-pick').click();
    // The timepoint's series is loaded and shown before the drag.
    const chosen = this.page.locator('[data-testid^="read-series-"]:not(.secondary)');
    await expect(chosen).toHaveAttribute('data-testid', new RegExp(`^read-series-t${timepoint}-`));
    const key = (await chosen.getAttribute('data-testid'))!.replace('read-series-', '');
    await expect(this.view).toHaveAttribute('data-series', key, { timeout: 60_000 });
    await expect(this.page.getByTestId('read-slice')).toHaveText(/slice \d+ \/ \d+/);
    const box = (await this.view.boundingBox())!;
    await this.page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 6 });
    await this.page.mouse.up();
    await expect(this.cell(lesion, measure, timepoint).locator('.cell-pick')).toHaveText(/mm$/);
    await this.saved();
  }

  async saved(): Promise<void> {
    await expect(this.autosave).toHaveText(/All changes saved/);
  }

  /** The computed overall response of a criteria at a follow-up. */
  overall(criteria: 'recist' | 'mrecist', followUp: number): Locator {
    return this.page.getByTestId(`overall-${criteria}-${followUp}`);
  }
}
