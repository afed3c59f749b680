import { describe, expect, it } from 'vitest';
import { findViolations, importsOf, readSources } from './importRules';
import { projectRoot } from '../../electron/platform/paths';

describe('layer import rules (STYLE.md B2)', () => {
  it('hold for every source file of core/, electron/ and renderer/', () => {
    const files = readSources(projectRoot, ['core', 'electron', 'renderer']);
    expect(files.length).toBeGreaterThan(20);
    expect(findViolations(files)).toEqual([]);
  });

  it.each([
    ['core/stats/x.ts', "import { readFileSync } from 'node:fs';", 'core/ may import only core/ and pure packages'],
    ['core/stats/x.ts', "import fs from 'fs';", 'core/ may import only core/ and pure packages'],
    ['core/stats/x.ts', "import { ipcMain } from 'electron';", 'core/ may import only core/ and pure packages'],
    [
      'core/stats/x.ts',
      "import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';",
      'core/ may import only core/ and pure packages',
    ],
    [
      'core/stats/x.ts',
      "import { openDatabase } from '../../electron/db/openDatabase';",
      'core/ may import only core/ and pure packages',
    ],
    [
      'core/stats/x.ts',
      "const m = await import('../../renderer/app/App');",
      'core/ may import only core/ and pure packages',
    ],
    [
      'renderer/app/x.ts',
      "import { startHost } from '../../electron/host/server';",
      'renderer/ must not import electron/',
    ],
    [
      'renderer/app/x.ts',
      "import { ipcRenderer } from 'electron';",
      'renderer/ must not import Electron or Node built-ins',
    ],
    ['renderer/app/x.ts', "const fs = require('node:fs');", 'renderer/ must not import Electron or Node built-ins'],
    ['electron/services/x.ts', "export { App } from '../../renderer/app/App';", 'electron/ must not import renderer/'],
    [
      'electron/preload/index.ts',
      "import { startHost } from '../host/server';",
      'the preload may import only electron and core/ipc/',
    ],
    [
      'electron/preload/index.ts',
      "import { voxelCount } from '../../core/imaging/volume';",
      'the preload may import only electron and core/ipc/',
    ],
  ])('flags %s importing: %s', (path, source, rule) => {
    expect(findViolations([{ path, source }])).toEqual([expect.objectContaining({ file: path, rule })]);
  });

  it('allows what the rules allow', () => {
    expect(
      findViolations([
        {
          path: 'core/stats/x.ts',
          source: "import { voxelCount } from '../imaging/volume';\nimport dcmjs from 'dcmjs';",
        },
        {
          path: 'renderer/app/x.ts',
          source: "import type { Result } from '../../core/ipc/result';\nimport React from 'react';",
        },
        {
          path: 'electron/preload/index.ts',
          source:
            "import { contextBridge } from 'electron';\nimport { readerChannels } from '../../core/ipc/contract';",
        },
      ]),
    ).toEqual([]);
  });

  it('reads imports in every form and ignores comments', () => {
    const source = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import 'c';",
      "export * from 'd';",
      "const e = await import('e');",
      "const f = require('f');",
      "// import g from 'g';",
      "/* import h from 'h'; */",
    ].join('\n');
    expect(importsOf(source)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
