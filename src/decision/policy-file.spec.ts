import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { DEFAULT_POLICY } from './default-policy';
import {
  defaultPolicyPath,
  mergePolicyData,
  parsePolicy,
  parsePolicyData,
  PolicyFileError,
  policyWithOverrides,
  readPolicy,
} from './policy-file';

const defaultData = (): Record<string, unknown> =>
  parsePolicyData(readFileSync(defaultPolicyPath(), 'utf8'), 'default').data as Record<string, unknown>;

/** The default policy's data with `change` applied, as YAML text. */
function variant(change: (data: Record<string, unknown>) => void): string {
  const data = defaultData();
  change(data);
  return stringify(data);
}

const rule = (data: Record<string, unknown>, index: number): Record<string, unknown> =>
  (data.rules as Record<string, unknown>[])[index];
const when = (data: Record<string, unknown>, index: number): Record<string, unknown> =>
  rule(data, index).when as Record<string, unknown>;

function problemsOf(text: string): string[] {
  try {
    parsePolicy(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyFileError);
    return (error as PolicyFileError).problems;
  }
  throw new Error('the policy was accepted');
}

describe(parsePolicy.name, () => {
  it('reads policy/default.yaml into the default policy', () => {
    expect(DEFAULT_POLICY.version).toBe('default-2');
    expect(DEFAULT_POLICY.rules.map((r) => r.id)).toContain('ssh-brute-force');
    expect(DEFAULT_POLICY.rules.find((r) => r.id === 'ssh-brute-force')).toEqual({
      id: 'ssh-brute-force',
      reason: '5 or more authentication failures within 10 minutes',
      action: 'block',
      when: { signals: ['auth_failure'], atLeast: 5, withinSeconds: 600 },
      hardEvidence: true,
      simulate: false,
    });
    expect(DEFAULT_POLICY.block).toEqual({ baseSeconds: 600, factor: 2, maxSeconds: 604_800 });
    expect(DEFAULT_POLICY.aggregate).toEqual({ ipv6Prefix: 64, ipv4Prefix: null });
    expect(DEFAULT_POLICY.llm).toEqual({ maxAction: 'block', mayShortenSoftBlocks: true, approval: 'auto' });
    expect(DEFAULT_POLICY.review).toEqual({ actions: ['block', 'alert'], scoreBand: [40, 79] });
  });

  it('reads the same policy written as JSON', () => {
    expect(parsePolicy(JSON.stringify(defaultData()), 'policy.json')).toEqual(DEFAULT_POLICY);
  });

  it.each([
    {
      name: 'an out-of-range count',
      text: variant((d) => (when(d, 2).atLeast = 0)),
      problem: /^rules\[2\]\.when\.atLeast \(line \d+\): must be an integer between 1 and 64$/,
    },
    {
      name: 'a count above what the timeline keeps',
      text: variant((d) => (when(d, 0).atLeast = 65)),
      problem: /^rules\[0\]\.when\.atLeast \(line \d+\): must be an integer between 1 and 64$/,
    },
    {
      name: 'a misspelt key, with a suggestion',
      text: variant((d) => {
        rule(d, 1).hardEvidance = true;
      }),
      problem: /^rules\[1\]\.hardEvidance \(line \d+\): unknown key \(did you mean "hardEvidence"\?\)/,
    },
    {
      name: 'an unknown top-level key',
      text: variant((d) => (d.simulation = true)),
      problem: /^simulation \(line \d+\): unknown key \(did you mean "simulate"\?\)/,
    },
    {
      name: 'a duplicate rule id',
      text: variant((d) => (rule(d, 3).id = 'ssh-brute-force')),
      problem: /^rules\[3\]\.id \(line \d+\): "ssh-brute-force" is already the id of rules\[0\]$/,
    },
    {
      name: 'an unknown signal',
      text: variant((d) => (when(d, 0).signals = ['auth_failures'])),
      problem:
        /^rules\[0\]\.when\.signals\[0\] \(line \d+\): must be one of: auth_failure, .* \(got "auth_failures"\)$/,
    },
    {
      name: 'an unknown action',
      text: variant((d) => (rule(d, 0).action = 'ban')),
      problem: /^rules\[0\]\.action \(line \d+\): must be one of: monitor, alert, block \(got "ban"\)$/,
    },
    {
      name: 'a window longer than 30 days',
      text: variant((d) => (when(d, 0).withinSeconds = '31d')),
      problem: /^rules\[0\]\.when\.withinSeconds \(line \d+\): must be a duration between 1 and 2592000 seconds/,
    },
    {
      name: 'a duration with an unknown unit',
      text: variant((d) => ((d.block as Record<string, unknown>).baseSeconds = '10 minutes')),
      problem: /^block\.baseSeconds \(line \d+\): must be a duration/,
    },
    {
      name: 'half a signal count',
      text: variant((d) => delete when(d, 0).withinSeconds),
      problem: /^rules\[0\]\.when \(line \d+\): signals, atLeast and withinSeconds go together/,
    },
    {
      name: 'an empty condition',
      text: variant((d) => (rule(d, 0).when = {})),
      problem: /^rules\[0\]\.when \(line \d+\): needs a signal count .* or a score band/,
    },
    {
      name: 'an inverted score band',
      text: variant((d) => (rule(d, 4).when = { scoreAtLeast: 80, scoreAtMost: 20 })),
      problem: /^rules\[4\]\.when \(line \d+\): scoreAtLeast must not be above scoreAtMost$/,
    },
    {
      name: 'a missing reason',
      text: variant((d) => delete rule(d, 0).reason),
      problem: /^rules\[0\]\.reason: is required$/,
    },
    {
      name: 'a rule id with capitals and spaces',
      text: variant((d) => (rule(d, 0).id = 'SSH brute')),
      problem: /^rules\[0\]\.id \(line \d+\): must be 1-64 lower-case letters/,
    },
    {
      name: 'an allow-list entry with host bits set',
      text: variant((d) => (d.allowlist = ['10.0.0.1/8'])),
      problem: /^allowlist\[0\] \(line \d+\): "10\.0\.0\.1\/8" has host bits set; did you mean 10\.0\.0\.0\/8\?$/,
    },
    {
      name: 'an allow-list entry that is no address',
      text: variant((d) => (d.allowlist = ['10.0.0.0/8', 'intranet'])),
      problem: /^allowlist\[1\] \(line \d+\): "intranet" is not an IP address or CIDR$/,
    },
    {
      name: 'a base block longer than the cap',
      text: variant((d) => ((d.block as Record<string, unknown>).baseSeconds = '8d')),
      problem: /^block \(line \d+\): baseSeconds must not be above maxSeconds$/,
    },
    {
      name: 'an LLM approval mode that does not exist',
      text: variant((d) => ((d.llm as Record<string, unknown>).approval = 'manual')),
      problem: /^llm\.approval \(line \d+\): must be one of: auto, pending/,
    },
    {
      name: 'a review score band that is not a pair',
      text: variant((d) => ((d.review as Record<string, unknown>).scoreBand = [40])),
      problem: /^review\.scoreBand \(line \d+\): must hold 2-2 entries$/,
    },
    {
      name: 'a review action listed twice',
      text: variant((d) => ((d.review as Record<string, unknown>).actions = ['block', 'block'])),
      problem: /^review\.actions\[1\] \(line \d+\): "block" is listed twice$/,
    },
    {
      name: 'a range escalation reusing a rule id',
      text: variant((d) => ((d.rangeEscalation as Record<string, unknown>).id = 'ssh-brute-force')),
      problem: /^rangeEscalation\.id \(line \d+\): "ssh-brute-force" is already a rule id$/,
    },
    {
      name: 'distinct paths of a signal whose paths are not kept',
      text: variant((d) => (when(d, 0).distinct = 'paths')),
      problem:
        /^rules\[0\]\.when \(line \d+\): distinct: paths counts only http_not_found, http_unauthorized, http_bad_request/,
    },
    {
      name: 'distinct of something other than paths',
      text: variant((d) => (when(d, 0).distinct = 'users')),
      problem: /^rules\[0\]\.when\.distinct \(line \d+\): /,
    },
    {
      name: 'simulate written as yes',
      text: variant((d) => (d.simulate = 'yes')),
      problem: /^simulate \(line \d+\): must be true or false$/,
    },
    {
      name: 'a list instead of a policy',
      text: '- a\n- b\n',
      problem: '(top level) (line 1): must be a mapping of keys to values',
    },
    { name: 'a YAML syntax error', text: 'rules: [\n', problem: /^line \d+: / },
    { name: 'a duplicate key', text: 'version: a\nversion: b\n', problem: /^line 2: Map keys must be unique/ },
  ] as { name: string; text: string; problem: string | RegExp }[])('refuses $name', ({ text, problem }) => {
    const problems = problemsOf(text);
    if (typeof problem === 'string') {
      expect(problems).toContain(problem);
    } else {
      expect(problems.some((p) => problem.test(p))).toBe(true);
    }
  });

  it('points at the line of the field in the file as written', () => {
    const text = readFileSync(defaultPolicyPath(), 'utf8');
    const edited = text.replace('atLeast: 5, withinSeconds: 10m }', 'atLeast: 100, withinSeconds: 10m }');
    const line = edited.split('\n').findIndex((l) => l.includes('atLeast: 100')) + 1;
    expect(problemsOf(edited)).toEqual([`rules[0].when.atLeast (line ${line}): must be an integer between 1 and 64`]);
  });

  it('names every problem at once, with the file', () => {
    const text = variant((d) => {
      when(d, 0).atLeast = 0;
      rule(d, 1).action = 'ban';
    });
    expect(() => parsePolicy(text, 'custom.yaml')).toThrow(/^custom\.yaml is not a valid policy:\n {2}rules\[0\]/);
    expect(problemsOf(text)).toHaveLength(2);
  });

  it('accepts durations with units and gives optional keys their defaults', () => {
    const policy = parsePolicy(
      variant((d) => {
        d.rules = [{ id: 'x', reason: 'a reason long enough', action: 'alert', when: { scoreAtLeast: 1 } }];
        (d.block as Record<string, unknown>).maxSeconds = 86_400;
        delete d.allowlist;
        delete d.simulate;
      }),
      'x.yaml',
    );
    expect(policy.rules[0]).toMatchObject({ hardEvidence: false, simulate: false });
    expect(policy.allowlist).toEqual([]);
    expect(policy.simulate).toBe(false);
    expect(policy.block.maxSeconds).toBe(86_400);
  });

  it('canonicalises allow-list entries', () => {
    const policy = parsePolicy(
      variant((d) => (d.allowlist = ['::ffff:10.0.0.0/104', '2001:DB8::/32', '192.000.002.001'])),
      'x.yaml',
    );
    expect(policy.allowlist).toEqual(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1/32']);
  });
});

describe(mergePolicyData.name, () => {
  it.each([
    {
      name: 'merges mappings key by key',
      base: { a: { b: 1, c: 2 } },
      overrides: { a: { c: 3 } },
      merged: { a: { b: 1, c: 3 } },
    },
    { name: 'replaces lists', base: { list: [1, 2] }, overrides: { list: [3] }, merged: { list: [3] } },
    {
      name: 'merges rules by id and appends new ones',
      base: { rules: [{ id: 'a', action: 'alert', when: { x: 1 } }] },
      overrides: { rules: [{ id: 'a', when: { y: 2 } }, { id: 'b' }] },
      merged: { rules: [{ id: 'a', action: 'alert', when: { x: 1, y: 2 } }, { id: 'b' }] },
    },
  ])('$name', ({ base, overrides, merged }) => {
    expect(mergePolicyData(base, overrides)).toEqual(merged);
  });

  it('validates the result', () => {
    expect(() => policyWithOverrides({ rules: [{ id: 'ssh-brute-force', when: { atLeast: 99 } }] }, 'case')).toThrow(
      'rules[0].when.atLeast: must be an integer between 1 and 64',
    );
    expect(readPolicy(mergePolicyData(defaultData(), { simulate: true })).policy?.simulate).toBe(true);
  });
});
