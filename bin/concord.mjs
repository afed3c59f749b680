#!/usr/bin/env node
// The `concord` command of the concord-reader package: runs the TypeScript CLI through tsx,
// so it works from a plain `npm install` without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
