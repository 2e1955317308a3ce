// Lint enforces the layering of ARCHITECTURE.md §1, so it does not rest on memory:
// - `electron` is importable only in electron/main and electron/preload;
// - `node:*` (and bare Node built-ins) never in renderer/ or electron/shared;
// - renderer/ never imports electron/core, electron/host, electron/main or electron/preload,
//   and reaches electron/shared only through its alias `@shared/…`;
// - electron/shared imports nothing but zod and itself;
// - raw `ipcMain`/`ipcRenderer` only in the one IPC entry of main and in the preload.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Node built-ins are not available here (ARCHITECTURE §1).',
  })),
  patterns: [{ group: ['node:*'], message: 'Node built-ins are not available here.' }],
};
const noElectron = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (ARCHITECTURE §1).',
};
/** The core's, host's and CLI's import rule, with any further pattern of a narrower folder. */
const coreImports = (...more) => ({
  paths: [noElectron],
  patterns: [
    {
      group: ['**/main/*', '**/preload/*', '**/renderer/*'],
      message: 'The core, host and CLI never reach into the Electron shell or the UI.',
    },
    ...more,
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '.tools/**',
      'coverage/**',
      'test-results/**',
      'resources/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // electron/shared depends on nothing but zod and itself: a file at its top may import `./`,
  // a file in a folder (api/, rules/) may also climb once, never out of shared.
  ...[
    { files: ['electron/shared/*.ts'], self: '^(?!zod$)(?!\\./)' },
    {
      files: ['electron/shared/**/*.ts'],
      ignores: ['electron/shared/*.ts'],
      self: '^(?!zod$)(?!\\./)(?!\\.\\./(?!\\.\\./))',
    },
  ].map(({ files, ignores, self }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, noElectron],
          patterns: [
            ...noNode.patterns,
            { regex: self, message: 'electron/shared depends on nothing but zod and itself.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreImports()] },
  },
  // Inside the core, a feature meets another only through that feature's index.ts: from
  // features/<a>/…/x.ts, climbing to features/ and going down into <b>/… is refused, while
  // `<b>` itself (its index) is allowed. One block per depth, because the rule sees only the
  // specifier. The composition root (features/*.ts: services, handlers) wires every feature.
  ...[1, 2, 3, 4].map((depth) => ({
    files: [`electron/core/features/*/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        coreImports({
          regex: `^(\\.\\./){${depth}}[^./][^/]*/`,
          message:
            "A feature uses another only through its index.ts (import '../<feature>'), never its files.",
        }),
      ],
    },
  })),
  {
    files: ['electron/core/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreImports({
          regex: '(^|/)features(/|$)',
          message: 'The platform serves the features and never imports them.',
        }),
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/*', '**/host/*'],
              message: 'The shell talks to the core only through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Raw ipcMain is used only in electron/main/ipc.ts (one sender-checked entry).',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, noElectron],
          patterns: [
            ...noNode.patterns,
            {
              group: [
                '**/electron/core/**',
                '**/electron/host/**',
                '**/electron/main/**',
                '**/electron/preload/**',
                '**/electron/cli/**',
              ],
              message: 'The renderer talks to the core only through electron/shared.',
            },
            {
              group: ['**/electron/shared', '**/electron/shared/**'],
              message: 'The renderer imports electron/shared as `@shared/…`, not by climbing.',
            },
          ],
        },
      ],
    },
  },
);
