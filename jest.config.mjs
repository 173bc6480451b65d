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

// Tiers that do I/O get a timeout sized for a loaded 2-core machine.
const slowTierTimeout = '<rootDir>/test/support/slow-tier-timeout.ts';

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      setupFilesAfterEnv: [slowTierTimeout],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: [slowTierTimeout],
    },
  ],
};
