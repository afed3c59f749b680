import type { Locator, Page } from '@playwright/test';

export class LetbPage {
  readonly open: Locator;
  readonly panel: Locator;
  readonly placements: Locator;
  readonly mean: Locator;
  readonly liverMl: Locator;
  readonly error: Locator;
  /** The file option of the mask choice, its path field, and the confirmation asked for a SEG of other images. */
  readonly maskFile: Locator;
  readonly maskPath: Locator;
  readonly confirm: Locator;
  readonly confirmAttach: Locator;
  readonly confirmCancel: Locator;
  /** The attached mask in the panel: file, hash, checks (data-status ok / warnings / overridden). */
  readonly mask: Locator;
  readonly maskChecks: Locator;

  constructor(readonly page: Page) {
    this.open = page.getByTestId('letb-open');
    this.panel = page.getByTestId('letb-panel');
    this.placements = page.getByTestId('letb-placement');
    this.mean = page.getByTestId('letb-mean');
    this.liverMl = page.getByTestId('letb-liver-ml');
    this.error = page.getByTestId('letb-error');
    this.maskFile = page.locator('input[name="mask"][value="file"]');
    this.maskPath = page.getByTestId('letb-mask-path');
    this.confirm = page.getByTestId('letb-confirm-reference');
    this.confirmAttach = page.getByTestId('letb-confirm-attach');
    this.confirmCancel = page.getByTestId('letb-confirm-cancel');
    this.mask = page.getByTestId('letb-mask');
    this.maskChecks = page.getByTestId('letb-mask-checks');
  }

  view(o: 'axial' | 'coronal' | 'sagittal'): Locator {
    return this.page.getByTestId(`letb-view-${o}`);
  }

  /** Clicks at a fraction of the view's box, drags a few pixels (live update), releases (saves). */
  async placeRoi(o: 'axial' | 'coronal' | 'sagittal', fx: number, fy: number): Promise<void> {
    const box = (await this.view(o).boundingBox())!;
    const x = box.x + box.width * fx;
    const y = box.y + box.height * fy;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + 3, y + 2, { steps: 3 });
    await this.page.mouse.up();
  }
}
