import type { Locator, Page } from '@playwright/test';

/** The coordinator's "Sign-in and sessions" panel on the study dashboard. */
export class SecurityPanel {
  readonly panel: Locator;
  readonly idle: Locator;
  readonly absolute: Locator;
  readonly lockout: Locator;
  readonly save: Locator;
  readonly saved: Locator;
  readonly problem: Locator;
  readonly noFailures: Locator;
  readonly rows: Locator;
  readonly refresh: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('security-panel');
    this.idle = page.getByTestId('session-idle');
    this.absolute = page.getByTestId('session-absolute');
    this.lockout = page.getByTestId('session-lockout');
    this.save = page.getByTestId('session-save');
    this.saved = page.getByTestId('session-saved');
    this.problem = page.getByTestId('session-problem');
    this.noFailures = page.getByTestId('security-no-failures');
    this.rows = page.getByTestId('security-row');
    this.refresh = page.getByTestId('security-refresh');
  }

  row(displayName: string): Locator {
    return this.page.locator(`[data-testid="security-row"][data-user="${displayName.replace(/"/g, '\\"')}"]`);
  }
}
