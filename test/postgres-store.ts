// The e2e-postgres project (jest.config.js): test/harness.ts starts each app on PostgreSQL.
process.env.SOC_E2E_STORE = 'postgres';
