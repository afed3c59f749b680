import { useCallback, useEffect, useState } from 'react';
import type { ReaderClient, ReadingStudySummary } from '../../../core/ipc/contract';
import { referenceProtocol } from '../../../core/studies/protocol';
import { minPassphraseChars as minPassphrase, passphraseChars } from '../../../core/auth/passphraseRule';
import { errorMessage } from '../../api/messages';
import type { Route, Session } from '../../app/App';
import { ProtocolEditor } from './ProtocolEditor';
import { checkDraft, toDraft, type ProtocolDraft } from './protocolDraft';
import { formatWhen } from './studyFormat';
import './studies.css';

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/** Reading studies: sign in as a coordinator or reader, or create a study. */
export function StudiesScreen({
  client,
  session,
  onNavigate,
}: {
  client: ReaderClient;
  session: Session;
  onNavigate: (route: Route) => void;
}) {
  const [studies, setStudies] = useState<Load<ReadingStudySummary[]>>({ state: 'loading' });

  const load = useCallback(async () => {
    const res = await client.listReadingStudies(undefined);
    setStudies(
      res.ok
        ? { state: 'ready', value: res.value }
        : { state: 'error', message: errorMessage('Listing the reading studies', res.error) },
    );
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  async function signedIn() {
    const user = await session.refresh();
    if (user?.role === 'coordinator') onNavigate({ name: 'study', studyId: user.studyId });
    else if (user?.role === 'reader') onNavigate({ name: 'worklist' });
  }

  const user = session.user;
  const list = studies.state === 'ready' ? studies.value : [];
  return (
    <main className="screen st-studies-screen" data-testid="studies-screen">
      <h1>Reading studies</h1>
      <p className="tagline">Sign in to a study as its coordinator or as one of its readers, or set up a new study.</p>

      {!user && session.endedMessage && (
        <p className="warning st-session-ended" role="status" data-testid="session-ended">
          {session.endedMessage}
        </p>
      )}

      {user && (
        <section className="panel st-signed-in-panel" data-testid="studies-signed-in">
          <p>
            You are signed in as <strong>{user.displayName}</strong>,{' '}
            {user.role === 'coordinator' ? 'coordinator' : 'reader'} of <strong>{user.studyName}</strong>.
          </p>
          <button
            type="button"
            onClick={() =>
              onNavigate(user.role === 'coordinator' ? { name: 'study', studyId: user.studyId } : { name: 'worklist' })
            }
            data-testid="studies-continue"
          >
            {user.role === 'coordinator' ? 'Open the study' : 'Open my worklist'}
          </button>
        </section>
      )}

      <section className="panel" aria-labelledby="studies-heading">
        <h2 id="studies-heading">Sign in</h2>
        {studies.state === 'loading' && <p className="muted">Loading the studies…</p>}
        {studies.state === 'error' && (
          <p className="error" role="alert" data-testid="studies-error">
            {studies.message}
          </p>
        )}
        {studies.state === 'ready' && list.length === 0 && (
          <p className="muted" data-testid="studies-empty">
            There is no reading study yet. Set one up below: you will be its coordinator.
          </p>
        )}
        {list.length > 0 && (
          <>
            <p className="hint">
              Use the name and passphrase the study coordinator gave you. The coordinator signs in the same way, with
              the name and passphrase chosen when the study was set up.
            </p>
            <ul className="st-study-list" data-testid="studies-list">
              {list.map((s) => (
                <StudyCard key={s.id} client={client} study={s} onSignedIn={signedIn} />
              ))}
            </ul>
          </>
        )}
      </section>

      {studies.state === 'ready' && (
        <NewStudyPanel
          client={client}
          studiesExist={list.length > 0}
          signedInAsCoordinator={user?.role === 'coordinator'}
          onCreated={async (study) => {
            await session.refresh();
            onNavigate({ name: 'study', studyId: study.id });
          }}
        />
      )}
    </main>
  );
}

function StudyCard({
  client,
  study,
  onSignedIn,
}: {
  client: ReaderClient;
  study: ReadingStudySummary;
  onSignedIn: () => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function signIn() {
    setBusy(true);
    setError(undefined);
    const res = await client.signIn({ studyId: study.id, displayName: name.trim(), passphrase });
    setBusy(false);
    if (!res.ok) {
      setPassphrase('');
      return setError(errorMessage('Signing in', res.error));
    }
    await onSignedIn();
  }

  return (
    <li className="st-study-card" data-testid="study-card" data-study-id={study.id} data-study-name={study.name}>
      <div className="st-study-card-head">
        <h3 className="st-study-card-name" data-testid="study-card-name">
          {study.name}
        </h3>
        <span className="muted small">set up {formatWhen(study.createdAt)}</span>
        <span
          className={`st-badge ${study.frozen ? 'st-badge-frozen' : 'st-badge-editable'}`}
          data-testid="study-card-state"
        >
          {study.frozen ? 'Reading started' : 'Being set up'}
        </span>
      </div>
      <form
        className="st-signin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void signIn();
        }}
      >
        <label className="st-field">
          <span>Your name</span>
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="username"
            maxLength={60}
            data-testid="signin-name"
          />
        </label>
        <label className="st-field">
          <span>Passphrase</span>
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="current-password"
            maxLength={200}
            data-testid="signin-passphrase"
          />
        </label>
        <button type="submit" disabled={busy || name.trim() === '' || passphrase === ''} data-testid="signin-submit">
          Sign in
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
    </li>
  );
}

function NewStudyPanel({
  client,
  studiesExist,
  signedInAsCoordinator,
  onCreated,
}: {
  client: ReaderClient;
  studiesExist: boolean;
  signedInAsCoordinator: boolean;
  onCreated: (study: ReadingStudySummary) => Promise<void>;
}) {
  const [open, setOpen] = useState(!studiesExist);
  const [name, setName] = useState('');
  const [coordinator, setCoordinator] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [seed, setSeed] = useState('');
  const [draft, setDraft] = useState<ProtocolDraft>(() => toDraft(referenceProtocol));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const protocol = checkDraft(draft);
  const seedText = seed.trim();
  const seedValue = seedText === '' ? undefined : Number(seedText);
  const seedOk = seedText === '' || (/^\d+$/.test(seedText) && Number.isSafeInteger(seedValue));
  const chars = passphraseChars(passphrase);
  const shortPassphrase = chars > 0 && chars < minPassphrase;
  const mismatch = confirm.length > 0 && confirm !== passphrase;
  const missing = [
    name.trim() === '' && 'a study name',
    coordinator.trim() === '' && 'your name as coordinator',
    chars < minPassphrase && `a passphrase of at least ${minPassphrase} characters`,
    chars >= minPassphrase && confirm !== passphrase && 'the same passphrase typed a second time',
    !seedOk && 'a seed that is a whole number (or no seed)',
    !protocol.ok && 'a complete protocol (see the message in the protocol)',
  ].filter((m): m is string => typeof m === 'string');

  async function create() {
    if (missing.length > 0 || !protocol.ok) return;
    setBusy(true);
    setError(undefined);
    const res = await client.createReadingStudy({
      name: name.trim(),
      coordinatorName: coordinator.trim(),
      passphrase,
      protocol: protocol.protocol,
      ...(seedValue !== undefined ? { seed: seedValue } : {}),
    });
    setBusy(false);
    if (!res.ok) return setError(errorMessage('Setting up the study', res.error));
    await onCreated(res.value);
  }

  const rightsHint = !studiesExist
    ? 'Setting up the study signs you in as its coordinator.'
    : signedInAsCoordinator
      ? 'You are signed in as a coordinator, so you may set up another study. Setting it up signs you in as its coordinator under the name below.'
      : 'A study already exists, so only a signed-in coordinator may set up another: sign in above as the coordinator of a study first.';

  return (
    <section
      className={`panel ${!studiesExist ? 'panel-highlight' : ''}`}
      aria-labelledby="new-study-heading"
      data-testid="new-study"
    >
      <div className="st-panel-head">
        <h2 id="new-study-heading">New study</h2>
        {!open && (
          <button type="button" className="secondary" onClick={() => setOpen(true)} data-testid="new-study-open">
            Set up a new study
          </button>
        )}
      </div>
      <p
        className={studiesExist && !signedInAsCoordinator ? 'warning st-new-study-rights' : 'hint'}
        data-testid="new-study-hint"
      >
        {rightsHint}
      </p>
      {open && (
        <form
          className="st-new-study-form"
          data-testid="new-study-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <div className="st-form-grid">
            <label className="st-field">
              <span>Study name</span>
              <input
                type="text"
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={100}
                placeholder="e.g. Liver metastases TACE 2026"
                data-testid="new-study-name"
              />
            </label>
            <label className="st-field">
              <span>Your name (coordinator)</span>
              <input
                type="text"
                value={coordinator}
                onChange={(e) => setCoordinator(e.target.value)}
                maxLength={60}
                autoComplete="username"
                data-testid="new-study-coordinator"
              />
            </label>
            <label className="st-field">
              <span>Passphrase (at least {minPassphrase} characters)</span>
              <input
                type="password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                maxLength={200}
                autoComplete="new-password"
                data-testid="new-study-passphrase"
              />
              {shortPassphrase && (
                <span className="st-field-note warning" data-testid="new-study-short">
                  {minPassphrase - chars} more character(s) needed.
                </span>
              )}
            </label>
            <label className="st-field">
              <span>Passphrase again</span>
              <input
                type="password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                maxLength={200}
                autoComplete="new-password"
                data-testid="new-study-passphrase-confirm"
              />
              {mismatch && (
                <span className="st-field-note warning" data-testid="new-study-mismatch">
                  The two passphrases differ.
                </span>
              )}
            </label>
            <label className="st-field">
              <span>Randomisation seed (optional)</span>
              <input
                type="text"
                inputMode="numeric"
                value={seed}
                onChange={(e) => setSeed(e.target.value)}
                placeholder="blank: drawn by the app"
                data-testid="new-study-seed"
              />
              {!seedOk && <span className="st-field-note warning">A whole number of 0 or more, or blank.</span>}
            </label>
            <p className="hint st-field-aside">
              The seed decides the case codes and each reader&apos;s reading order; it is recorded with the study. Leave
              it blank unless you need to repeat an earlier randomisation.
            </p>
          </div>

          <h3>Reading protocol</h3>
          <p className="hint">
            Starts as the reference study&apos;s protocol. It can still be changed on the study page until the first
            reader opens a case.
          </p>
          <ProtocolEditor draft={draft} onChange={setDraft} disabled={busy} />

          <div className="st-form-actions">
            <button type="submit" disabled={busy || missing.length > 0} data-testid="new-study-submit">
              Set up the study
            </button>
            {missing.length > 0 && (
              <p className="muted" data-testid="new-study-missing">
                Still needed: {missing.join('; ')}.
              </p>
            )}
          </div>
          {error && (
            <p className="error" role="alert" data-testid="new-study-error">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
