import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // With type information: a promise nobody awaits or catches loses its rejection, and one
    // passed where a void callback is expected (an event handler) runs unawaited.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.main.json', './tsconfig.renderer.json', './tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Everything but the thin Electron shell runs under plain Node or in browsers (and is
    // tested there): never Electron.
    files: ['src-main/**', 'src-shared/**', 'src-renderer/**', 'scripts/**', 'bench/**'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only src-main/electron may import Electron.' }] },
      ],
    },
  },
  {
    // The server's request path: an object literal's getter or setter costs V8 an accessor pair
    // in the old generation per evaluation, which keeps the request's objects alive through
    // young-generation collections (BENCHMARKS.md, "Tails"). Classes define accessors once.
    files: ['src-main/server/**'],
    ignores: ['**/*.test.ts', 'src-main/server/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ObjectExpression > Property[kind!='init']",
          message:
            'Use a class: an object literal accessor is allocated in the old generation each time (see BENCHMARKS.md, "Tails").',
        },
      ],
    },
  },
  {
    // IPC goes through the typed wrappers in src-main/electron/ipc and the preload, nowhere else.
    files: ['src-main/electron/**'],
    ignores: ['src-main/electron/ipc/**', 'src-main/electron/preload.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Use the typed IPC wrappers in src-main/electron/ipc.',
        },
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Use the typed IPC wrappers in the preload.',
        },
      ],
    },
  },
);
