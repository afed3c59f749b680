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
    return await this.worklistRows.evaluateAll((rows) =>
      rows.map((r) => r.getAttribute('data-testid')!.replace('worklist-row-', '')),
    );
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
  async measure(
    lesion: number,
    measure: 'longest' | 'viable',
    timepoint: number,
    from: [number, number],
    to: [number, number],
  ): Promise<void> {
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

  /** The LETB form cell of ROI k at a timepoint. */
  letbCell(roi: number, timepoint: number): Locator {
    return this.page.getByTestId(`letb-cell-${roi}-${timepoint}`);
  }

  /** The reader's LETB image (subtraction with the liver outlined). */
  get letbView(): Locator {
    return this.page.getByTestId('read-letb-view');
  }

  /** The LPS position under the mouse, from the LETB image's cursor readout. */
  private async cursorLps(x: number, y: number): Promise<[number, number, number]> {
    await this.page.mouse.move(x, y);
    const readout = this.page.getByTestId('read-letb-cursor');
    await expect(readout).toHaveText(/LPS/);
    const m = /LPS (-?[\d.]+), (-?[\d.]+), (-?[\d.]+)/.exec((await readout.textContent())!)!;
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  }

  /**
   * Places the active LETB ROI with its centre at `lps`: scrolls to the axial slice of lps[2], finds
   * where the in-plane position is on screen from the cursor readout at two points (whatever the
   * zoom and orientation), then presses there, wiggles (live evaluation) and releases (save).
   */
  async placeLetbRoiAt(lps: readonly number[], sliceMm: number): Promise<void> {
    const box = (await this.letbView.boundingBox())!;
    const p0 = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.3 };
    const p1 = { x: box.x + box.width * 0.7, y: box.y + box.height * 0.7 };
    // One wheel notch down moves one slice: measure which way in z, then go the rest of the way.
    const z0 = (await this.cursorLps(p0.x, p0.y))[2];
    await this.page.mouse.wheel(0, 100);
    const z1 = (await this.cursorLps(p0.x + 1, p0.y))[2];
    const step = z1 - z0 || sliceMm;
    const notches = Math.round((lps[2]! - z1) / step);
    for (let n = 0; n < Math.abs(notches); n++) await this.page.mouse.wheel(0, notches > 0 ? 100 : -100);
    const a = await this.cursorLps(p0.x, p0.y);
    const b = await this.cursorLps(p1.x, p1.y);
    expect(Math.abs(a[2] - lps[2]!)).toBeLessThanOrEqual(sliceMm / 2 + 0.05);
    // Axial: screen x follows one of L/R, screen y one of A/P.
    const along = (i: 0 | 1, from: number, to: number, s0: number, s1: number) =>
      s0 + ((lps[i]! - from) / (to - from)) * (s1 - s0);
    const x = along(0, a[0], b[0], p0.x, p1.x);
    const y = along(1, a[1], b[1], p0.y, p1.y);
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + 4, y + 3, { steps: 3 });
    await expect(this.page.getByTestId('read-letb-readout')).toContainText('LETB');
    await this.page.mouse.move(x, y, { steps: 2 });
    await this.page.mouse.up();
  }

  /** The computed overall response of a criteria at a follow-up. */
  overall(criteria: 'recist' | 'mrecist', followUp: number): Locator {
    return this.page.getByTestId(`overall-${criteria}-${followUp}`);
  }
}
