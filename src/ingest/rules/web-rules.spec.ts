import { detectMatches } from '../signals/detectors';
import { caseEvent } from './rule-cases';
import { webFieldsOf } from './web-fields';
import { loadWebRules } from './web-detection';

/**
 * Every rule in rules/web runs its own cases (typescript-eslint's RuleTester, CrowdSec's hub
 * tests): each `match` case fires the rule, each `nomatch` case neither fires the rule nor
 * raises any attack signal at all (a benign line must stay benign for the whole engine).
 */
const rules = loadWebRules();
const BEHAVIOUR = new Set(['http_not_found', 'http_unauthorized', 'http_bad_request', 'login_post', 'dynamic_request']);

const matchRows = rules.flatMap((rule) =>
  rule.cases.match.map((c) => ({ rule, c, name: `${rule.id} (${rule.source}:${c.line})` })),
);
const nomatchRows = rules.flatMap((rule) =>
  rule.cases.nomatch.map((c) => ({ rule, c, name: `${rule.id} (${rule.source}:${c.line})` })),
);

describe('web rules', () => {
  it('each rule has attack cases and benign cases, an ATT&CK technique and a CWE', () => {
    const lacking = rules.filter(
      (r) =>
        r.cases.match.length === 0 || r.cases.nomatch.length === 0 || r.techniques.length === 0 || r.cwe.length === 0,
    );
    expect(lacking.map((r) => r.id)).toEqual([]);
  });

  it.each(matchRows)('$name fires on its attack case', ({ rule, c }) => {
    const view = webFieldsOf(caseEvent(c.request));
    expect(view && rule.evaluate(view)).toBeTruthy();
  });

  it.each(nomatchRows)('$name stays quiet on its benign case', ({ rule, c }) => {
    const event = caseEvent(c.request);
    const view = webFieldsOf(event);
    expect(view && rule.evaluate(view)).toBeNull();
    if (!BEHAVIOUR.has(rule.signal)) {
      const attacks = detectMatches(event).filter((m) => !BEHAVIOUR.has(m.signal));
      expect(attacks).toEqual([]);
    }
  });
});
