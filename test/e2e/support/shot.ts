import type { Locator, Page } from '@playwright/test';

/**
 * Takes a screenshot into the test's output folder (kept after the run, so a person can look
 * at it: test-results/<test>/<name>.png) and returns the path for `testInfo.attach`.
 */
export async function shot(
  target: Page | Locator,
  path: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  await target.screenshot({ path, ...('goto' in target ? options : {}) });
  return path;
}
