/**
 * Two projects: unit specs beside the code, e2e specs in test/ (through HTTP).
 * content-disposition (under @fastify/static, which serves the Swagger UI) ships only as an
 * ES module, so jest transforms that one package to CommonJS.
 */
const transform = {
  '^.+\\.ts$': ['ts-jest', {}],
  '^.+/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!content-disposition/)'];

/** E2E files about SQLite itself, not run on PostgreSQL. */
const POSTGRES_EXCLUDED = [
  '/node_modules/',
  // The plans SQLite's query planner chooses (EXPLAIN QUERY PLAN).
  '/test/query-plans\\.e2e-spec\\.ts$',
  // SQLITE_FULL and SQLITE_READONLY made with PRAGMAs on the SQLite file.
  '/test/storage-full\\.e2e-spec\\.ts$',
  // The replay always runs on a temporary SQLite file of its own.
  '/test/replay\\.e2e-spec\\.ts$',
  // Start-up refusals of src/main.ts, spawned on a SQLite file whatever the project.
  '/test/startup\\.e2e-spec\\.ts$',
  // One process per SQLite file (its instance lock); PostgreSQL is the store several share.
  '/test/single-process-store\\.e2e-spec\\.ts$',
];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Several instances on one database: PostgreSQL only (e2e-postgres below).
      testPathIgnorePatterns: ['/node_modules/', '/test/postgres-instances\\.e2e-spec\\.ts$'],
      transform,
      transformIgnorePatterns,
    },
    // The same e2e suites on PostgreSQL when DATABASE_URL (an admin URL) is set: each app gets
    // a database of its own (test/harness.ts). Left out, with why:
    ...(process.env.DATABASE_URL === undefined
      ? []
      : [
          {
            displayName: 'e2e-postgres',
            testEnvironment: 'node',
            rootDir: '.',
            testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
            testPathIgnorePatterns: POSTGRES_EXCLUDED,
            setupFiles: ['<rootDir>/test/postgres-store.ts'],
            transform,
            transformIgnorePatterns,
          },
        ]),
  ],
};
