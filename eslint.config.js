// Lint rules, including the layer rules of DESIGN.md §2: a wrong-layer import is a lint error,
// so it fails `npm test`, not a review.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Modules that only the UI may use. */
const uiModules = [
  'react',
  'react-dom',
  'react-dom/*',
  'react/*',
  'zustand',
  'zustand/*',
  'd3',
  'd3-*',
  '@xstate/react',
];
/** Node built-ins: never in code that ships to the browser. */
const nodeModules = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'url',
  'crypto',
  'module',
];

const restrict = (message, group) => [{ group, message }];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', 'playwright-report/', 'bench/', 'public/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', 'scripts/*.mjs', '.ci/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  {
    // core: pure TypeScript. No UI, no Node, no runtime or app, no ambient time or randomness.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...restrict('src/core is pure TypeScript: UI libraries belong in src/app (DESIGN.md §2).', uiModules),
            ...restrict('src/core runs in workers and browsers: no Node built-ins (DESIGN.md §2).', nodeModules),
            ...restrict('src/core must not depend on src/runtime or src/app (DESIGN.md §2).', [
              '**/runtime',
              '**/runtime/**',
              '**/app',
              '**/app/**',
            ]),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask'].map((name) => ({
          name,
          message: 'core has no timers of its own: take a Clock (DESIGN.md §2).',
        })),
        ...['window', 'document', 'self', 'globalThis', 'navigator', 'performance', 'process'].map((name) => ({
          name,
          message: 'core must not reach for host globals (DESIGN.md §2).',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'core takes a seeded Random (DESIGN.md §2).' },
        { object: 'Date', property: 'now', message: 'core takes a Clock (DESIGN.md §2).' },
        { object: 'performance', property: 'now', message: 'core takes a Clock (DESIGN.md §2).' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'core takes a Clock (DESIGN.md §2).' },
      ],
    },
  },
  {
    // runtime: runs core in threads. No UI, no app.
    files: ['src/runtime/**/*.ts'],
    ignores: ['src/runtime/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...restrict('src/runtime has no UI: React, Zustand and D3 belong in src/app (DESIGN.md §2).', uiModules),
            ...restrict('src/runtime ships to the browser: no Node built-ins (DESIGN.md §2).', nodeModules),
            ...restrict('src/runtime must not depend on src/app (DESIGN.md §2).', ['**/app', '**/app/**']),
          ],
        },
      ],
    },
  },
  {
    // node: running the runtime in Node (worker_threads) for tests, bench and CLI. No UI.
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...restrict('src/node runs the runtime in Node: no UI libraries (DESIGN.md §2).', uiModules),
            ...restrict('src/node must not depend on src/app (DESIGN.md §2).', ['**/app', '**/app/**']),
          ],
        },
      ],
    },
  },
  {
    // app: the UI. Node built-ins never ship to the browser.
    files: ['src/app/**/*.ts', 'src/app/**/*.tsx'],
    ignores: ['src/app/**/*.test.ts', 'src/app/**/*.test.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...restrict('src/app ships to the browser: no Node built-ins (DESIGN.md §2).', nodeModules),
            ...restrict('src/app uses core through its index (src/core/index.ts), not its internals.', [
              '**/core/*/**',
              '**/core/*',
              '!**/core/index',
              '!**/core/index.ts',
            ]),
          ],
        },
      ],
    },
  },
);
