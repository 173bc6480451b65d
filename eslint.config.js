import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import boundaries (ESLint keeps only the last matching block's options for a rule,
// so narrower blocks repeat the wider patterns they refine).
const libraryBoundaries = [
  { regex: '^@nestjs/', message: 'libs/ import nothing from Nest: the apps wire them in.' },
  { regex: '(^|/)apps/', message: 'libs/ import nothing from apps/.' },
];

const domainBoundaries = [
  ...libraryBoundaries,
  {
    group: ['@app/*', 'rxjs', 'rxjs/*', 'class-validator', 'class-transformer'],
    message: 'libs/domain imports nothing from Nest or infrastructure.',
  },
  {
    group: ['better-sqlite3', '@eventstore/*', 'fastify', 'node:*', 'fs', 'path', 'crypto', 'http'],
    message: 'libs/domain does no I/O.',
  },
  { group: ['../../*/**', '../../../*'], message: 'libs/domain imports only from itself.' },
];

/** The stream folders of libs/domain/src; shared facts live in libs/domain/src/facts. */
const domainStreams = ['programme', 'partner', 'group', 'election', 'feedback'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'bench/results/**',
      '*.config.*js',
      // Typed by the types generated at test time; test/contract/generated-client.e2e-spec.ts compiles it.
      'test/contract/client/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Libraries know nothing of the framework or of the applications built on them.
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: libraryBoundaries }] },
  },
  {
    // The domain is pure: no framework, no infrastructure, no I/O.
    files: ['libs/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: domainBoundaries }] },
  },
  // A stream folder reaches another stream only through the shared facts module.
  ...domainStreams.map((stream) => ({
    files: [`libs/domain/src/${stream}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...domainBoundaries,
            {
              regex: `^\\.\\./(${domainStreams.filter((other) => other !== stream).join('|')})/`,
              message: `libs/domain/src/${stream} imports another stream's facts from ../facts/index.js only.`,
            },
          ],
        },
      ],
    },
  })),
  {
    // The CLI works on the ledger directly; it shares libraries with the API, never the API.
    files: ['apps/ledger-cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)ledger-api(/|$)',
              message: 'apps/ledger-cli imports nothing from apps/ledger-api; share through libs/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The evaluator page: browser ES modules, no build step.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'document',
          'window',
          'sessionStorage',
          'location',
          'fetch',
          'URL',
          'Node',
          'console',
          'setTimeout',
          'clearTimeout',
          'CSS',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Node scripts shipped as plain ES modules (the demo loader and its generator).
    files: ['demo/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['process', 'console', 'fetch', 'URL', 'Buffer'].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*-spec.ts', 'test/**/*.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
