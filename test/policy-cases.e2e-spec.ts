import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { comparable, loadPolicyCase, POLICY_CASES_DIR, runPolicyCase } from './policy-case';

/**
 * One test per file in test/policy-cases/: the default policy (with the case's overrides)
 * run on the case's input through the real application, on event time. To add a case, add a
 * file; see the README, "Tuning the policy".
 */
const cases = readdirSync(POLICY_CASES_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .map((file) => loadPolicyCase(join(POLICY_CASES_DIR, file)));

describe('policy cases', () => {
  it('has cases with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$file: $name', async (testCase) => {
    const made = await runPolicyCase(testCase);
    expect(comparable(made, testCase)).toEqual(testCase.expect.decisions);
  });
});
