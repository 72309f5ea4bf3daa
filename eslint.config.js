import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'zlib', 'url', 'util', 'events'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'coverage/**', '.bench/**', '.scratch/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
    },
  },
  {
    // Where a file lives says where it runs: shared/ runs anywhere, so it imports neither Node nor
    // Electron nor anything outside shared/.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'shared/ runs in the browser too: no Node modules.' },
          { group: ['electron', 'better-sqlite3'], message: 'shared/ runs anywhere.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing but itself.' },
        ],
      }],
    },
  },
  {
    // Services are plain Node: no Electron, no renderer; every transport sits on top of them.
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron'], message: 'Services run under plain Node; only electron/main and electron/preload import electron.' },
          { group: ['**/renderer/**'], message: 'Node code never imports the renderer.' },
        ],
      }],
    },
  },
  {
    // The renderer is a web page: no Node, no Electron, no services; it reaches the Node side only
    // through the typed API.
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node modules.' },
          { group: ['electron', 'better-sqlite3'], message: 'The renderer talks to the Node side through the API only.' },
          { group: ['**/electron/**'], message: 'The renderer imports shared/ and itself only.' },
        ],
      }],
    },
  },
  {
    // The preload exposes the API through contextBridge; it imports electron and shared/ only.
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The sandboxed preload has no Node modules.' },
          { group: ['**/services/**', '**/renderer/**'], message: 'The preload imports electron and shared/ only.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.mjs', 'eslint.config.js', 'vitest.config.ts', 'playwright.config.ts'],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
