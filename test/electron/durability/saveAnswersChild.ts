/**
 * Child process of the durability test: opens the services on a data folder, signs in as
 * "Reader 1" and saves answers as fast as it can, printing `ack <timepoint> <value>` only after
 * the service has acknowledged each save. The parent SIGKILLs it at a random moment.
 */
import { createServices } from '../../../electron/services/createServices';
import { silentLogger } from '../../../electron/services/logger';

const [dataDir, studyId, caseId, start] = process.argv.slice(2);
const services = await createServices({ dataDir: dataDir!, shell: 'host', logger: silentLogger });
const conn = 'conn-child';
const signedIn = await services.dispatch(
  'signIn',
  { studyId: Number(studyId), displayName: 'Reader 1', passphrase: 'reader 1 passphrase' },
  conn,
);
if (!signedIn.ok) throw new Error(JSON.stringify(signedIn.error));
const read = await services.dispatch('openRead', { caseId: Number(caseId) }, conn);
if (!read.ok) throw new Error(JSON.stringify(read.error));
process.stdout.write('ready\n');
for (let value = Number(start); ; value++) {
  const timepoint = value % 2;
  const saved = await services.dispatch(
    'saveReadEntry',
    { readId: (read.value as { readId: number }).readId, timepoint, item: 'counter', value },
    conn,
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved.error));
  process.stdout.write(`ack ${timepoint} ${value}\n`);
}
