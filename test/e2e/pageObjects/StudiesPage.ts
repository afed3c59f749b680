import type { Locator, Page } from '@playwright/test';

export type ItemKind = 'nominal' | 'ordinal' | 'numeric';

/** An extra question as the protocol editor asks for it. */
export interface ItemSpec {
  label: string;
  /** Name in exported files; left to follow the label when omitted. */
  id?: string;
  kind: ItemKind;
  scope?: 'baseline' | 'every';
  /** Answer options (nominal, ordinal: lowest first). */
  levels?: string[];
  unit?: string;
  min?: number;
  max?: number;
}

/** The protocol editor (renderer/features/studies/ProtocolEditor.tsx), on either screen. */
export class ProtocolEditorPage {
  readonly root: Locator;
  readonly items: Locator;
  readonly addItemButton: Locator;
  readonly maxTotal: Locator;
  readonly maxPerOrgan: Locator;
  readonly error: Locator;
  readonly valid: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('protocol-editor');
    this.items = page.locator('li[data-testid^="protocol-item-"]');
    this.addItemButton = page.getByTestId('protocol-add-item');
    this.maxTotal = page.getByTestId('protocol-max-total');
    this.maxPerOrgan = page.getByTestId('protocol-max-per-organ');
    this.error = page.getByTestId('protocol-error');
    this.valid = page.getByTestId('protocol-valid');
  }

  criteria(which: 'recist' | 'mrecist'): Locator {
    return this.page.getByTestId(`protocol-criteria-${which}`);
  }

  /**
   * A field of question n (0-based): label, id, kind, scope, unit, min, max, remove, add-level, level-<k>,
   * level-<k>-up/-down/-remove.
   */
  itemField(n: number, field: string): Locator {
    return this.page.getByTestId(`protocol-item-${n}-${field}`);
  }

  /** Adds a question at the end and fills it in; returns its 0-based index. */
  async addItem(spec: ItemSpec): Promise<number> {
    const n = await this.items.count();
    await this.addItemButton.click();
    await this.itemField(n, 'label').fill(spec.label);
    if (spec.id !== undefined) await this.itemField(n, 'id').fill(spec.id);
    await this.itemField(n, 'kind').selectOption(spec.kind);
    await this.itemField(n, 'scope').selectOption(spec.scope ?? 'baseline');
    if (spec.kind === 'numeric') {
      await this.itemField(n, 'unit').fill(spec.unit ?? '');
      await this.itemField(n, 'min').fill(String(spec.min ?? ''));
      await this.itemField(n, 'max').fill(String(spec.max ?? ''));
    } else {
      const levels = spec.levels ?? [];
      for (let k = 0; k < levels.length; k++) {
        if (k >= 2) await this.itemField(n, 'add-level').click();
        await this.itemField(n, `level-${k}`).fill(levels[k]!);
      }
    }
    return n;
  }
}

/** The Studies screen: the list of studies with a sign-in form each, and the new-study form. */
export class StudiesPage {
  readonly screen: Locator;
  readonly list: Locator;
  readonly cards: Locator;
  readonly empty: Locator;
  readonly listError: Locator;
  readonly signedIn: Locator;
  readonly continueButton: Locator;
  readonly newStudy: Locator;
  readonly newStudyOpen: Locator;
  readonly newStudyForm: Locator;
  readonly newStudyHint: Locator;
  readonly name: Locator;
  readonly coordinator: Locator;
  readonly passphrase: Locator;
  readonly passphraseConfirm: Locator;
  readonly seed: Locator;
  readonly mismatch: Locator;
  readonly submit: Locator;
  readonly missing: Locator;
  readonly createError: Locator;
  readonly protocol: ProtocolEditorPage;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('studies-screen');
    this.list = page.getByTestId('studies-list');
    this.cards = page.getByTestId('study-card');
    this.empty = page.getByTestId('studies-empty');
    this.listError = page.getByTestId('studies-error');
    this.signedIn = page.getByTestId('studies-signed-in');
    this.continueButton = page.getByTestId('studies-continue');
    this.newStudy = page.getByTestId('new-study');
    this.newStudyOpen = page.getByTestId('new-study-open');
    this.newStudyForm = page.getByTestId('new-study-form');
    this.newStudyHint = page.getByTestId('new-study-hint');
    this.name = page.getByTestId('new-study-name');
    this.coordinator = page.getByTestId('new-study-coordinator');
    this.passphrase = page.getByTestId('new-study-passphrase');
    this.passphraseConfirm = page.getByTestId('new-study-passphrase-confirm');
    this.seed = page.getByTestId('new-study-seed');
    this.mismatch = page.getByTestId('new-study-mismatch');
    this.submit = page.getByTestId('new-study-submit');
    this.missing = page.getByTestId('new-study-missing');
    this.createError = page.getByTestId('new-study-error');
    this.protocol = new ProtocolEditorPage(page);
  }

  /** Goes to the Studies screen through the top bar and waits for the list to load. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-studies').click();
    await this.screen.waitFor();
    await this.newStudy.waitFor();
  }

  /** A study's card, by its name. */
  card(studyName: string): Locator {
    return this.page.locator(`[data-testid="study-card"][data-study-name="${studyName.replace(/"/g, '\\"')}"]`);
  }

  /** The sign-in error shown on a study's card. */
  signInError(studyName: string): Locator {
    return this.card(studyName).getByTestId('signin-error');
  }

  /** Fills a study's sign-in form and submits it (does not wait for the outcome). */
  async signIn(studyName: string, displayName: string, passphrase: string): Promise<void> {
    const card = this.card(studyName);
    await card.getByTestId('signin-name').fill(displayName);
    await card.getByTestId('signin-passphrase').fill(passphrase);
    await card.getByTestId('signin-submit').click();
  }

  /** Shows the new-study form (it is already open while no study exists). */
  async openNewStudyForm(): Promise<void> {
    if (await this.newStudyOpen.isVisible()) await this.newStudyOpen.click();
    await this.newStudyForm.waitFor();
  }

  async fillNewStudy(s: {
    name: string;
    coordinator: string;
    passphrase: string;
    confirm?: string;
    seed?: number;
  }): Promise<void> {
    await this.openNewStudyForm();
    await this.name.fill(s.name);
    await this.coordinator.fill(s.coordinator);
    await this.passphrase.fill(s.passphrase);
    await this.passphraseConfirm.fill(s.confirm ?? s.passphrase);
    await this.seed.fill(s.seed === undefined ? '' : String(s.seed));
  }

  /** Fills the form (protocol as it stands in the editor, with LETB ticked when asked) and submits it. */
  async createStudy(s: {
    name: string;
    coordinator: string;
    passphrase: string;
    seed?: number;
    letb?: boolean;
  }): Promise<void> {
    await this.fillNewStudy(s);
    if (s.letb) await this.page.getByTestId('protocol-letb').check();
    await this.submit.click();
  }
}
