import type { Locator, Page } from '@playwright/test';
import { ProtocolEditorPage } from './StudiesPage';

const attr = (v: string | number) => `"${String(v).replace(/"/g, '\\"')}"`;

/** The coordinator's study dashboard (route 'study'). */
export class StudyPage {
  readonly dashboard: Locator;
  readonly loadError: Locator;
  readonly name: Locator;
  readonly state: Locator;
  readonly seed: Locator;
  readonly submittedCount: Locator;
  // Protocol
  readonly protocolPanel: Locator;
  readonly protocolStatus: Locator;
  readonly protocolSummary: Locator;
  readonly protocolSummaryItems: Locator;
  readonly protocolEdit: Locator;
  readonly protocolSave: Locator;
  readonly protocolCancel: Locator;
  readonly protocolSaved: Locator;
  readonly protocolSaveError: Locator;
  readonly protocol: ProtocolEditorPage;
  // Readers
  readonly readersTable: Locator;
  readonly readerRows: Locator;
  readonly addReaderName: Locator;
  readonly addReaderPassphrase: Locator;
  readonly addReaderSubmit: Locator;
  readonly addReaderDone: Locator;
  readonly addReaderError: Locator;
  // Cases
  readonly addCasesButton: Locator;
  readonly addCasesResult: Locator;
  readonly addCasesError: Locator;
  readonly identifyingBadge: Locator;
  readonly casesTable: Locator;
  readonly caseRows: Locator;
  // Progress and reopen
  readonly progressGrid: Locator;
  readonly progressCells: Locator;
  readonly reopenForm: Locator;
  readonly reopenReason: Locator;
  readonly reopenConfirm: Locator;
  readonly reopenCancel: Locator;
  readonly reopenDone: Locator;
  readonly reopenError: Locator;
  // Unblinding, results, export
  readonly unblindingPanel: Locator;
  readonly unblindOpen: Locator;
  readonly unblindBlocked: Locator;
  readonly unblindConfirmPanel: Locator;
  readonly unblindConfirm: Locator;
  readonly unblindCancel: Locator;
  readonly unblindError: Locator;
  readonly unblindedTable: Locator;
  readonly unblindedRows: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.dashboard = page.locator('[data-testid="study-dashboard"][data-state="ready"]');
    this.loadError = id('study-error');
    this.name = id('study-name');
    this.state = id('study-state');
    this.seed = id('study-seed');
    this.submittedCount = id('study-submitted-count');
    this.protocolPanel = id('protocol-panel');
    this.protocolStatus = id('protocol-status');
    this.protocolSummary = id('protocol-summary');
    this.protocolSummaryItems = id('protocol-summary-item');
    this.protocolEdit = id('protocol-edit');
    this.protocolSave = id('protocol-save');
    this.protocolCancel = id('protocol-cancel');
    this.protocolSaved = id('protocol-saved');
    this.protocolSaveError = id('protocol-save-error');
    this.protocol = new ProtocolEditorPage(page);
    this.readersTable = id('readers-table');
    this.readerRows = id('reader-row');
    this.addReaderName = id('add-reader-name');
    this.addReaderPassphrase = id('add-reader-passphrase');
    this.addReaderSubmit = id('add-reader-submit');
    this.addReaderDone = id('add-reader-done');
    this.addReaderError = id('add-reader-error');
    this.addCasesButton = id('add-cases');
    this.addCasesResult = id('add-cases-result');
    this.addCasesError = id('add-cases-error');
    this.identifyingBadge = id('cases-identifying');
    this.casesTable = id('cases-table');
    this.caseRows = id('case-row');
    this.progressGrid = id('progress-grid');
    this.progressCells = id('progress-cell');
    this.reopenForm = id('reopen-form');
    this.reopenReason = id('reopen-reason');
    this.reopenConfirm = id('reopen-confirm');
    this.reopenCancel = id('reopen-cancel');
    this.reopenDone = id('reopen-done');
    this.reopenError = id('reopen-error');
    this.unblindingPanel = id('unblinding-panel');
    this.unblindOpen = id('unblind-open');
    this.unblindBlocked = id('unblind-blocked');
    this.unblindConfirmPanel = id('unblind-confirm-panel');
    this.unblindConfirm = id('unblind-confirm');
    this.unblindCancel = id('unblind-cancel');
    this.unblindError = id('unblind-error');
    this.unblindedTable = id('unblinded-table');
    this.unblindedRows = id('unblinded-row');
  }

  /** Goes to the signed-in coordinator's dashboard through the top bar ("My study"). */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-study').click();
    await this.dashboard.waitFor();
  }

  async waitReady(): Promise<void> {
    await this.dashboard.waitFor();
  }

  readerRow(displayName: string): Locator {
    return this.page.locator(`[data-testid="reader-row"][data-reader=${attr(displayName)}]`);
  }

  /** Adds a reader and waits for the confirmation (or the error). */
  async addReader(displayName: string, passphrase: string): Promise<void> {
    await this.addReaderName.fill(displayName);
    await this.addReaderPassphrase.fill(passphrase);
    await this.addReaderSubmit.click();
    await this.addReaderDone.or(this.addReaderError).waitFor();
  }

  /** Clicks "Add cases from imported exams" and waits for the report (or the error). */
  async addCases(): Promise<void> {
    await this.addCasesButton.click();
    await this.addCasesResult.or(this.addCasesError).waitFor();
  }

  caseRow(caseCode: string): Locator {
    return this.page.locator(`[data-testid="case-row"][data-case-code=${attr(caseCode)}]`);
  }

  /** The case codes in the coordinator's case table, in table order. */
  async caseCodes(): Promise<string[]> {
    return this.caseRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-code') ?? ''));
  }

  /** One reader's read of one case in the progress grid; its `data-state` is not_started | in_progress | submitted. */
  progressCell(caseCode: string, reader: string): Locator {
    return this.page.locator(
      `[data-testid="progress-cell"][data-case-code=${attr(caseCode)}][data-reader=${attr(reader)}]`,
    );
  }

  /** Reopens a submitted read with a reason, through the inline form, and waits for the outcome. */
  async reopen(caseCode: string, reader: string, reason: string): Promise<void> {
    await this.progressCell(caseCode, reader).getByTestId('reopen-open').click();
    await this.reopenReason.fill(reason);
    await this.reopenConfirm.click();
    await this.reopenDone.or(this.reopenError).waitFor();
  }

  /** Opens the protocol editor (only offered while the protocol is editable). */
  async editProtocol(): Promise<void> {
    await this.protocolEdit.click();
    await this.protocol.root.waitFor();
  }

  async saveProtocol(): Promise<void> {
    await this.protocolSave.click();
    await this.protocolSaved.or(this.protocolSaveError).waitFor();
  }

  /** Unblinds through the inline confirmation and waits for the results (or the error). */
  async unblind(): Promise<void> {
    await this.unblindOpen.click();
    await this.unblindConfirm.click();
    await this.unblindedTable.or(this.unblindError).waitFor();
  }

  exportResult(format: 'csv' | 'json'): Locator {
    return this.page.getByTestId(`export-result-${format}`);
  }

  /** Exports the unblinded reads and returns the path the app reports. */
  async exportReads(format: 'csv' | 'json'): Promise<string> {
    await this.page.getByTestId(`export-${format}`).click();
    const result = this.exportResult(format);
    const error = this.page.getByTestId(`export-error-${format}`);
    await result.or(error).waitFor();
    if (await error.isVisible()) throw new Error(`export ${format} failed: ${await error.textContent()}`);
    return (await result.locator('.st-path').textContent()) ?? '';
  }

  unblindedRow(caseCode: string): Locator {
    return this.page.locator(`[data-testid="unblinded-row"][data-case-code=${attr(caseCode)}]`);
  }

  /**
   * The overall-response cell of a reader at a follow-up (1-based) under RECIST 1.1 or mRECIST; its
   * `data-category` is the category.
   */
  unblindedResponse(caseCode: string, reader: string, followUp: number, criteria: 'recist' | 'mrecist'): Locator {
    return this.unblindedRow(caseCode).locator(
      `[data-testid="unblinded-response"][data-reader=${attr(reader)}][data-follow-up="${followUp}"][data-criteria="${criteria}"] .st-response-cell`,
    );
  }

  unblindedBest(caseCode: string, reader: string, criteria: 'recist' | 'mrecist'): Locator {
    return this.unblindedRow(caseCode).locator(
      `[data-testid="unblinded-best"][data-reader=${attr(reader)}][data-criteria="${criteria}"]`,
    );
  }

  unblindedItem(caseCode: string, reader: string, itemId: string): Locator {
    return this.unblindedRow(caseCode).locator(
      `[data-testid="unblinded-item"][data-reader=${attr(reader)}][data-item=${attr(itemId)}]`,
    );
  }
}
