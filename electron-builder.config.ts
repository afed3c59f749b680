import type { Configuration } from 'electron-builder';

/**
 * `npm run dist`: the installers of the desktop app, built by electron-builder from out/ (run
 * `electron-vite build` first; the npm script does). One configuration for every platform; each
 * installer is built on its own platform (`npm run dist -- --linux`, `--win`, `--mac`), because
 * sqlite3's native module is the one `npm ci` installed there (Node-API, so the same file serves
 * Node and Electron: no rebuild against Electron's headers).
 * test/electron/packaging.test.ts checks this file and packs the app with it.
 */

/**
 * The deb's Homepage and Maintainer fields (electron-builder requires both). The project has no
 * public address yet: set these when publishing an installer. The defaults use the reserved
 * `.invalid` domain (RFC 6761), which never resolves.
 */
const homepage = process.env.CONCORD_HOMEPAGE ?? 'https://concord.invalid/';
const maintainer = process.env.CONCORD_MAINTAINER ?? 'Concord maintainers <maintainers@concord.invalid>';

export default {
  appId: 'org.concord-reader.concord',
  productName: 'Concord',
  copyright: 'Copyright © Concord contributors, MIT licence',
  directories: { output: 'dist', buildResources: 'build' },
  // The app is out/ (main, preload, renderer bundles) and package.json; sources, tests, scripts
  // and build resources never enter the package. Production dependencies are added by
  // electron-builder; of those, what the running app never loads is left out: tsx/esbuild (the
  // CLI's TypeScript loader), rollup's native binary (should a dependency ever declare it
  // again) and sqlite3's build intermediates and sources (its module is
  // build/Release/node_sqlite3.node).
  files: [
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    'package.json',
    '!**/*.map',
    '!node_modules/{tsx,esbuild,@esbuild,@rollup}{,/**}',
    '!node_modules/sqlite3/{deps,src}{,/**}',
    '!node_modules/sqlite3/build/Release/{obj,obj.target,.deps,node-addon-api}{,/**}',
    '!node_modules/sqlite3/build/Release/*.a',
    '!node_modules/sqlite3/build/{Makefile,*.mk,*.gypi,deps}{,/**}',
  ],
  extraMetadata: { homepage },
  // A production dependency that cannot be found fails the build (electron-builder 27's default)
  // instead of shipping an app that cannot start.
  allowMissingDependencies: false,
  asar: true,
  // A native module cannot be loaded from inside an archive: sqlite3's goes to app.asar.unpacked.
  asarUnpack: ['node_modules/sqlite3/**/*.node'],
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  // Flipped in the packaged Electron binary before signing (issue 13): no running it as plain
  // Node, no NODE_OPTIONS, no --inspect; the app loads only from app.asar, whose integrity is
  // checked where Electron supports it (macOS, Windows). Left as Electron ships them: cookie
  // encryption (the shell keeps no cookies), the browser-process V8 snapshot, and file://
  // privileges (the window loads out/renderer/index.html over file://).
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // Flipping fuses breaks the ad-hoc signature of an arm64 macOS binary; re-sign it ad hoc.
    resetAdHocDarwinSignature: true,
  },
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Science',
    executableName: 'concord',
    synopsis: 'Blinded reader studies on liver CT',
    maintainer,
  },
  deb: {
    packageName: 'concord',
  },
  win: {
    target: ['nsis'],
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    installerIcon: 'build/icon.ico',
    uninstallerIcon: 'build/icon.ico',
    // The data folder holds the studies' reads and audit trail: never removed with the app.
    deleteAppDataOnUninstall: false,
  },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.icns',
    category: 'public.app-category.medical',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  dmg: {
    icon: 'build/icon.icns',
  },
} satisfies Configuration;
