import type { Migration } from './index';

export const init001: Migration = {
  version: 1,
  name: 'init',
  sql: `
CREATE TABLE app_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
};
