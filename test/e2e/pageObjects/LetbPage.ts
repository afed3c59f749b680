import type { Locator, Page } from '@playwright/test';

export class LetbPage {
  readonly open: Locator;
  readonly panel: Locator;
  readonly placements: Locator;
  readonly mean: Locator;
  readonly liverMl: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.open = page.getByTestId('letb-open');
    this.panel = page.getByTestId('letb-panel');
    this.placements = page.getByTestId('letb-placement');
    this.mean = page.getByTestId('letb-mean');
    this.liverMl = page.getByTestId('letb-liver-ml');
    this.error = page.getByTestId('letb-error');
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
