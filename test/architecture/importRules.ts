import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The dependency rules of ../shared/STYLE.md B2, checked over the sources' import statements:
 * - core/ imports only core/ and pure packages (no Node built-ins, no Electron, no DOM code);
 * - renderer/ never imports electron/ (nor Electron or Node built-ins), electron/ never renderer/;
 * - the preload imports only `electron` and core/ipc/.
 */
export const corePurePackages: readonly string[] = ['dcmjs', 'fflate'];

export interface SourceFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  source: string;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const importPattern =
  /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(importPattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!).filter(Boolean);
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
const packageName = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

export function findViolations(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = file.path.split('/')[0];
    for (const spec of importsOf(file.source)) {
      const add = (rule: string) => violations.push({ file: file.path, specifier: spec, rule });
      const target = spec.startsWith('.')
        ? relative('.', join(dirname(file.path), spec))
            .split(sep)
            .join('/')
        : undefined;
      if (target !== undefined && target.startsWith('..')) add('imports from outside the project');
      if (layer === 'core') {
        if (target !== undefined ? !target.startsWith('core/') : !corePurePackages.includes(packageName(spec))) {
          add('core/ may import only core/ and pure packages');
        }
      }
      if (layer === 'renderer') {
        if (target?.startsWith('electron/')) add('renderer/ must not import electron/');
        if (target === undefined && (spec === 'electron' || isBuiltin(spec)))
          add('renderer/ must not import Electron or Node built-ins');
      }
      if (layer === 'electron') {
        if (target?.startsWith('renderer/')) add('electron/ must not import renderer/');
        if (file.path.startsWith('electron/preload/') && !(spec === 'electron' || target?.startsWith('core/ipc/'))) {
          add('the preload may import only electron and core/ipc/');
        }
      }
    }
  }
  return violations;
}

/** Every .ts/.tsx file under the given top-level folders. */
export function readSources(root: string, folders: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(name))
        out.push({ path: relative(root, full).split(sep).join('/'), source: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of folders) walk(resolve(root, folder));
  return out;
}
