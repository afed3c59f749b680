import type { Locator, Page } from '@playwright/test';
/** The viewer's three panes (data-testid view-<name>). */
type ViewOrientation = 'axial' | 'coronal' | 'sagittal';

export class ViewerPage {
  readonly title: Locator;
  readonly error: Locator;
  readonly windowReadout: Locator;
  readonly cursorReadout: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByTestId('viewer-title');
    this.error = page.getByTestId('viewer-error');
    this.windowReadout = page.getByTestId('window-readout');
    this.cursorReadout = page.getByTestId('cursor-readout');
  }

  view(o: ViewOrientation): Locator {
    return this.page.getByTestId(`view-${o}`);
  }

  sliceLabel(o: ViewOrientation): Locator {
    return this.page.getByTestId(`slice-${o}`);
  }

  preset(id: 'liver' | 'abdomen' | 'bone'): Locator {
    return this.page.getByTestId(`preset-${id}`);
  }

  /** Waits for the view's canvas and two animation frames, so the last render is on screen. */
  async settle(o: ViewOrientation): Promise<void> {
    await this.view(o).locator('canvas').waitFor();
    // A string: this file is type-checked for Node, which has no requestAnimationFrame.
    await this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  }

  async wheel(o: ViewOrientation, deltaY: number): Promise<void> {
    const box = (await this.view(o).boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.wheel(0, deltaY);
  }
}
