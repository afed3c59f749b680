import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import config from '../../electron-builder.config';
import { productName } from '../../core/version';
import { projectRoot } from '../../electron/platform/paths';
import { findElectronBinary } from '../e2e/support/electronBinary';
import { makeTempDir } from '../helpers/tempDir';

// `npm run dist` cannot be run whole here: the installers (AppImage, deb, NSIS, dmg) need the
// Electron download and tools electron-builder downloads (appimagetool, fpm, NSIS; dmg needs
// macOS). What can be checked without them is: the configuration (against electron-builder's own
// schema), the icons, the fuse step (electron-builder's own fuse configuration flipped by
// @electron/fuses on a stand-in binary that carries Electron's fuse wire), and the app packed by
// electron-builder with this configuration into an unpacked Linux app around that stand-in
// binary: app.asar, the unpacked sqlite3 module, the flipped fuses.

/** electron-builder's own modules, resolved from where electron-builder is (none is a direct dependency). */
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const builderLibRequire = createRequire(builderRequire.resolve('app-builder-lib'));
const fuses = builderLibRequire('@electron/fuses') as typeof import('@electron/fuses');
type FuseConfig = Parameters<typeof fuses.flipFuses>[1];
const asar = builderLibRequire('@electron/asar') as typeof import('@electron/asar');

const skipInstallers =
  'skipped: the installers (AppImage, deb, NSIS, dmg) are not built here: electron-builder downloads Electron, appimagetool, fpm and NSIS, and a dmg needs macOS';

describe('electron-builder configuration (electron-builder.config.ts)', () => {
  it('passes electron-builder’s own schema and checks', async () => {
    const { validateConfiguration } = builderLibRequire('./util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = builderLibRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  }, 120_000); // compiling electron-builder's JSON schema takes seconds on a busy machine

  it('is Concord, with a reverse-DNS app id', () => {
    expect(config.productName).toBe(productName);
    expect(config.productName).toBe('Concord');
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(config.linux.executableName).toBe('concord');
  });

  it('builds AppImage + deb on Linux, NSIS on Windows, a dmg on macOS; is wired to npm run dist', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.config.ts');
  });

  it('packs only out/ and package.json of the project: no sources, tests, scripts or build resources', () => {
    const included = config.files.filter((p) => !p.startsWith('!'));
    expect(included).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
    expect(config.files).toContain('!**/*.map');
  });

  it('keeps the archive and unpacks sqlite3’s native module from it', () => {
    expect(config.asar).toBe(true);
    const { minimatch } = builderLibRequire('minimatch') as {
      minimatch(path: string, pattern: string, options: object): boolean;
    };
    const module = 'node_modules/sqlite3/build/Release/node_sqlite3.node';
    expect(existsSync(join(projectRoot, module))).toBe(true);
    expect(config.asarUnpack.some((pattern) => minimatch(module, pattern, { dot: true }))).toBe(true);
    expect(config.asarUnpack.some((pattern) => minimatch('out/main/index.js', pattern, { dot: true }))).toBe(false);
  });

  it('does not rebuild sqlite3 for Electron, which is right because it is a Node-API module', () => {
    expect(config.npmRebuild).toBe(false);
    const sqlite3 = JSON.parse(readFileSync(join(projectRoot, 'node_modules/sqlite3/package.json'), 'utf8')) as {
      binary?: { napi_versions?: number[] };
    };
    expect(sqlite3.binary?.napi_versions?.length).toBeGreaterThan(0);
  });

  it('fails the build on a missing production dependency rather than shipping an app that cannot start', () => {
    expect(config.allowMissingDependencies).toBe(false);
  });

  it('never deletes the data folder on uninstall, and asks only for JIT on macOS', () => {
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
    const entitlements = readFileSync(join(projectRoot, config.mac.entitlements), 'utf8');
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual([
      'com.apple.security.cs.allow-jit',
    ]);
  });

  it('sets the fuses issue 13 asks for, and no others', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      resetAdHocDarwinSignature: true,
    });
  });

  it.skip(skipInstallers, () => undefined);
});

/** Width and height of a PNG file, read by pngjs. */
function pngSize(data: Buffer): [number, number] {
  const png = PNG.sync.read(data);
  return [png.width, png.height];
}

describe('icons (npm run icons, from build/icon.svg)', () => {
  const build = join(projectRoot, 'build');

  it('has the one drawing they are made from', () => {
    expect(readFileSync(join(build, 'icon.svg'), 'utf8')).toMatch(/<svg[^>]+viewBox="0 0 1024 1024"/);
  });

  it('icon.png is 1024 px, drawn (opaque centre) on a transparent margin', () => {
    const png = PNG.sync.read(readFileSync(join(build, 'icon.png')));
    expect([png.width, png.height]).toEqual([1024, 1024]);
    const alpha = (x: number, y: number) => png.data[(y * png.width + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(1023, 1023)).toBe(0);
    expect(alpha(512, 512)).toBe(255);
  });

  it('Linux: build/icons holds every size from 16 to 1024 px', () => {
    expect(config.linux.icon).toBe('build/icons');
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(readFileSync(join(build, 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    }
  });

  it('Windows: icon.ico holds 16…256 px, 256 as PNG and the smaller as 32-bit BMP', () => {
    expect(config.win.icon).toBe('build/icon.ico');
    const ico = readFileSync(join(build, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry) || 256;
      const length = ico.readUInt32LE(entry + 8);
      const data = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + length);
      expect(data.length).toBe(length);
      if (data.readUInt32BE(0) === 0x89504e47) {
        expect(pngSize(data)).toEqual([size, size]);
      } else {
        // BITMAPINFOHEADER: 40 bytes, height counts the XOR bitmap and the AND mask
        expect([data.readUInt32LE(0), data.readInt32LE(4), data.readInt32LE(8), data.readUInt16LE(14)]).toEqual([
          40,
          size,
          2 * size,
          32,
        ]);
        expect(length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
      }
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('macOS: icon.icns holds PNGs of 16…1024 px under the types iconutil writes', () => {
    expect(config.mac.icon).toBe('build/icon.icns');
    const icns = readFileSync(join(build, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Record<string, number> = {};
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      found[type] = pngSize(icns.subarray(at + 8, at + length))[0];
      at += length;
    }
    expect(found).toEqual({
      icp4: 16,
      icp5: 32,
      ic11: 32,
      icp6: 64,
      ic12: 64,
      ic07: 128,
      ic08: 256,
      ic13: 256,
      ic09: 512,
      ic14: 512,
      ic10: 1024,
    });
  });
});

const { FuseV1Options, FuseState } = { FuseV1Options: fuses.FuseV1Options, FuseState: { DISABLE: 48, ENABLE: 49 } };
const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'; // @electron/fuses' SENTINEL, as compiled into Electron

/**
 * A stand-in for the Electron executable: some bytes, then the fuse wire exactly as Electron lays
 * it out (sentinel, wire version 1, wire length 8, one byte per fuse) in the states Electron
 * ships: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on, the others off.
 */
function standInElectron(path: string): void {
  const shipped = [
    FuseState.ENABLE,
    FuseState.DISABLE,
    FuseState.ENABLE,
    FuseState.ENABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.ENABLE,
  ];
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from('\x7fELF stand-in for Electron\n'),
      Buffer.from(sentinel),
      Buffer.from([1, shipped.length, ...shipped]),
      Buffer.from('\nend\n'),
    ]),
  );
  chmodSync(path, 0o755);
}

/** The fuse wire as @electron/fuses reads it back, by option name. */
async function fuseStates(binary: string): Promise<Record<string, number>> {
  const wire = (await fuses.getCurrentFuseWire(binary)) as unknown as Record<string, number>;
  const named: Record<string, number> = {};
  for (const [name, index] of Object.entries(FuseV1Options))
    if (typeof index === 'number' && wire[index] !== undefined) named[name] = wire[index]!;
  return named;
}

const expectedFlipped = {
  RunAsNode: FuseState.DISABLE,
  EnableCookieEncryption: FuseState.DISABLE, // as shipped
  EnableNodeOptionsEnvironmentVariable: FuseState.DISABLE,
  EnableNodeCliInspectArguments: FuseState.DISABLE,
  EnableEmbeddedAsarIntegrityValidation: FuseState.ENABLE,
  OnlyLoadAppFromAsar: FuseState.ENABLE,
  LoadBrowserProcessSpecificV8Snapshot: FuseState.DISABLE, // as shipped
  GrantFileProtocolExtraPrivileges: FuseState.ENABLE, // as shipped: the window loads file://
};

describe('fuse step', () => {
  it('electron-builder turns the configuration into the fuse wire issue 13 asks for', async () => {
    const dir = makeTempDir('concord-fuses-');
    const binary = join(dir.path, 'concord');
    standInElectron(binary);
    const { PlatformPackager } = builderLibRequire('./index') as {
      PlatformPackager: { prototype: { generateFuseConfig(options: unknown): Promise<FuseConfig> } };
    };
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses);
    await fuses.flipFuses(binary, fuseConfig);
    expect(await fuseStates(binary)).toEqual(expectedFlipped);
    dir.cleanup();
  }, 120_000); // loading app-builder-lib
});

/**
 * Bare package names a bundle loads at run time (import … from, import(), require(), the decoders'
 * lazyModule()), without Node built-ins and electron.
 */
function packagesLoadedBy(code: string): string[] {
  const specs = [
    ...code.matchAll(
      /\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)|lazyModule\(\s*"([^"]+)"\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  const names = specs
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s) && s !== 'electron')
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
  return [...new Set(names)].sort();
}

// The pack needs a node_modules folder npm can list: in a git worktree whose node_modules is a
// symbolic link to another checkout's, `npm list` reports every package as extraneous, and
// electron-builder (rightly, with allowMissingDependencies: false) refuses to pack.
const nodeModulesIsLink = lstatSync(join(projectRoot, 'node_modules')).isSymbolicLink();
const builtMain = join(projectRoot, 'out/main/index.js');
const packSkip = nodeModulesIsLink
  ? 'skipped: node_modules is a symbolic link (a git worktree sharing another checkout’s), which npm list cannot read'
  : !existsSync(builtMain)
    ? 'skipped: out/ is missing: run "npm run build" first (npm test does)'
    : null;

describe.skipIf(packSkip !== null)(
  `the app packed by electron-builder around a stand-in Electron binary${packSkip ? ` (${packSkip})` : ''}`,
  () => {
    let work = '';
    let appDir = '';
    let archive = '';
    let files: string[] = [];

    beforeAll(() => {
      work = makeTempDir('concord-pack-').path;
      const dist = join(work, 'electron-dist');
      mkdirSync(dist);
      standInElectron(join(dist, 'electron'));
      copyFileSync(join(projectRoot, 'node_modules/electron/LICENSE'), join(dist, 'LICENSE'));
      const run = spawnSync(
        process.execPath,
        [
          builderRequire.resolve('electron-builder/cli.js'),
          '--config',
          'electron-builder.config.ts',
          '--linux',
          'dir',
          `-c.electronDist=${dist}`,
          `-c.directories.output=${join(work, 'out')}`,
        ],
        { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
      );
      if (run.status !== 0) throw new Error(`electron-builder failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
      appDir = join(work, 'out', 'linux-unpacked');
      archive = join(appDir, 'resources', 'app.asar');
      files = asar.listPackage(archive, { isPack: false }).map((f) => f.split('\\').join('/').replace(/^\//, ''));
    }, 300_000);

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('names the executable concord and flips its fuses', async () => {
      expect(await fuseStates(join(appDir, 'concord'))).toEqual(expectedFlipped);
    });

    it('app.asar holds the three bundles and package.json, pointing at the main bundle', () => {
      expect(files).toEqual(
        expect.arrayContaining([
          'out/main/index.js',
          'out/preload/index.cjs',
          'out/renderer/index.html',
          'package.json',
        ]),
      );
      const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as {
        main: string;
        productName: string;
        scripts?: unknown;
      };
      expect(pkg).toMatchObject({ main: 'out/main/index.js', productName: 'Concord' });
      expect(pkg.scripts).toBeUndefined();
    });

    it('app.asar holds no sources, tests, scripts, build resources, source maps, nor the CLI’s TypeScript loader or other build tools', () => {
      const ours = files.filter((f) => !(f === 'node_modules' || f.startsWith('node_modules/')));
      expect(ours.filter((f) => !(f === 'package.json' || f === 'out' || f.startsWith('out/')))).toEqual([]);
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
      expect(files.filter((f) => /^node_modules\/(tsx|esbuild|@esbuild|@rollup)(\/|$)/.test(f))).toEqual([]);
      expect(
        files.filter((f) =>
          /^node_modules\/sqlite3\/(deps|src|build\/Release\/(obj|obj\.target|\.deps))(\/|$)/.test(f),
        ),
      ).toEqual([]);
    });

    it('unpacks sqlite3’s native module beside the archive, and it loads', () => {
      const nodeFile = join(
        appDir,
        'resources',
        'app.asar.unpacked',
        'node_modules/sqlite3/build/Release/node_sqlite3.node',
      );
      expect(existsSync(nodeFile)).toBe(true);
      expect(asar.statFile(archive, 'node_modules/sqlite3/build/Release/node_sqlite3.node')).toMatchObject({
        unpacked: true,
      });
      const binding = createRequire(import.meta.url)(nodeFile) as { Database?: unknown };
      expect(typeof binding.Database).toBe('function');
      const unpackedNodeFiles = readdirSync(join(appDir, 'resources', 'app.asar.unpacked'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.node'));
      expect(unpackedNodeFiles.map((f) => f.split('\\').join('/'))).toEqual([
        'node_modules/sqlite3/build/Release/node_sqlite3.node',
      ]);
    });

    it('holds every production dependency but the CLI’s loader, with all of theirs, and everything the main bundle loads', () => {
      const declared = Object.keys(
        (
          JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
            dependencies: Record<string, string>;
          }
        ).dependencies,
      ).filter((name) => name !== 'tsx');
      const loaded = packagesLoadedBy(readFileSync(builtMain, 'utf8'));
      expect(loaded).toContain('sqlite3');
      expect(loaded.filter((name) => !declared.includes(name))).toEqual([]);
      const missing: string[] = [];
      const seen = new Set<string>();
      const visit = (name: string, from: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        const manifest = `node_modules/${name}/package.json`;
        if (!files.includes(manifest)) {
          missing.push(`${name} (needed by ${from})`);
          return;
        }
        const pkg = JSON.parse(asar.extractFile(archive, manifest).toString('utf8')) as {
          dependencies?: Record<string, string>;
        };
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, name);
      };
      for (const name of declared) visit(name, 'package.json');
      expect(missing).toEqual([]);
    });
  },
);

const electronBinary = findElectronBinary(projectRoot);
const realBinarySkip = electronBinary
  ? null
  : 'skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH, or run a plain npm install where downloads work)';

// Vitest lists skipped tests only when a file fails; say it on every run.
for (const [what, reason] of [
  ['installers', skipInstallers],
  ['pack around a stand-in Electron', packSkip],
  ['fuses on the real Electron binary', realBinarySkip],
] as const) {
  if (reason) console.log(`packaging: ${what}: ${reason}`);
}

describe.skipIf(!electronBinary)(
  `fuses on the real Electron binary${realBinarySkip ? ` (${realBinarySkip})` : ''}`,
  () => {
    it('carries the fuse wire @electron/fuses flips', async () => {
      const dir = makeTempDir('concord-real-fuses-');
      const copy = join(dir.path, 'electron');
      copyFileSync(electronBinary!, copy);
      const { PlatformPackager } = builderLibRequire('./index') as {
        PlatformPackager: { prototype: { generateFuseConfig(options: unknown): Promise<FuseConfig> } };
      };
      await fuses.flipFuses(copy, await PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses));
      const states = await fuseStates(copy);
      expect(states).toMatchObject({
        RunAsNode: FuseState.DISABLE,
        EnableNodeOptionsEnvironmentVariable: FuseState.DISABLE,
        EnableNodeCliInspectArguments: FuseState.DISABLE,
        EnableEmbeddedAsarIntegrityValidation: FuseState.ENABLE,
        OnlyLoadAppFromAsar: FuseState.ENABLE,
      });
      dir.cleanup();
    }, 120_000);
  },
);
