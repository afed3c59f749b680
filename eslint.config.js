// ESLint: typescript-eslint's strict rules, React's hook rules, and the layer boundaries of
// ARCHITECTURE.md (core/ imports nothing from electron/ or renderer/; the renderer nothing from
// electron/, it reaches the main process only through the contract in core/ipc). Formatting is
// Prettier's (.prettierrc.json); `npm run lint` runs both.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outsideCore = {
  regex: '(^|/)(electron|renderer)/',
  message: 'core/ is pure: it imports only core/ and pure packages (ARCHITECTURE.md).',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/', 'test/fixtures/', 'build/'] },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // With noUncheckedIndexedAccess every typed-array read in a voxel loop is `T | undefined`;
      // the loops bound their indices and assert with `!` on purpose.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            outsideCore,
            { regex: '^(node:|electron$|fs$|path$|os$|crypto$)', message: 'core/ runs without Node and Electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)electron/|^electron$|^node:',
              message: 'The renderer reaches the main process only through the contract in core/ipc.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)renderer/', message: 'electron/ never imports the renderer.' }] },
      ],
    },
  },
);
