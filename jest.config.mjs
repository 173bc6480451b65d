import { availableParallelism } from 'node:os';

// Jest 30 in native ESM mode (NestJS 12 is ESM-only). Tests are transpiled
// without type information for speed; `npm run typecheck` checks types once.
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper: {
    '^@app/(domain|event-store|projections)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static (Swagger UI assets) require()s the ESM-only content-disposition@3.
    // Node 20.19+ can require ESM, Jest's module loader cannot: give Jest the CJS 0.5 line,
    // whose API @fastify/static uses identically. Test-only; the app uses the real one.
    '^content-disposition$': '<rootDir>/test/support/content-disposition.cjs',
  },
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
export default {
  // Jest's default is one worker fewer than the cores: a single worker on the
  // two-core CI machine, with the other core idle while tests wait on fsync
  // and child processes. Two workers at least: 434 s → 183 s for the suite there.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: ['unit', 'int', 'e2e'].map((tier) => ({
    ...common,
    displayName: tier,
    testMatch: [`<rootDir>/{apps,libs,test}/**/*.${tier === 'unit' ? '' : `${tier}-`}spec.ts`],
    // Each tier's default timeout, sized for a busy two-core machine (test/support/timeouts.ts).
    globals: { TIER_TIMEOUT_MS: tier === 'unit' ? 30_000 : 120_000 },
    setupFilesAfterEnv: ['<rootDir>/test/support/timeouts.ts'],
  })),
};
