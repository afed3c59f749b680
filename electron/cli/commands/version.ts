import { productName } from '../../../core/version';
import { latestSchemaVersion } from '../../db/migrations/index';
import { appVersion, packageName } from '../../platform/appVersion';
import { parseCommandArgs, printJsonOrText, type Command } from '../command';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the Concord version and the database schema it writes',
  usage: 'concord version [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
    const info = {
      name: packageName,
      productName,
      version: appVersion,
      schemaVersion: latestSchemaVersion,
      node: process.version,
    };
    printJsonOrText(
      io,
      values.json === true,
      info,
      `${productName} ${appVersion} (database schema ${latestSchemaVersion})`,
    );
    return 0;
  },
};
