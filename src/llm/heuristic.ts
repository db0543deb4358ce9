import { Signal } from '../domain/signal';
import { TriageFeatures } from '../context/triage-context';
import { ThreatCategory, ThreatLevel, Verdict } from '../domain/verdict';

/** One explainable reason for a score: the heuristic's rules are data, like the policy's. */
export interface Finding {
  score: number;
  category: ThreatCategory;
  techniques: string[];
  because: string;
}

type Rule = (features: TriageFeatures) => Finding | null;

function inWindow(features: TriageFeatures, signal: Signal): number {
  return features.signalsInWindow[signal] ?? 0;
}

function ever(features: TriageFeatures, signal: Signal): number {
  return features.signalCounts[signal] ?? 0;
}

function bySignal(signal: Signal, finding: Omit<Finding, 'because'>, label: string): Rule {
  return (features) => {
    const count = ever(features, signal);
    return count > 0 ? { ...finding, because: `${count} ${label}` } : null;
  };
}

export const HEURISTIC_RULES: readonly Rule[] = [
  (features) => {
    const failures = inWindow(features, 'auth_failure');
    if (failures === 0) {
      return null;
    }
    const score = failures >= 5 ? 85 : failures >= 3 ? 55 : 25;
    const spraying = features.distinctUsers >= 5;
    return {
      score: Math.min(100, score + (spraying ? 10 : 0)),
      category: spraying ? 'credential_stuffing' : 'brute_force',
      techniques: spraying ? ['T1110', 'T1110.003'] : ['T1110', 'T1110.001'],
      because: `${failures} failed authentication attempt(s) in the window across ${features.distinctUsers} user name(s)`,
    };
  },
  bySignal(
    'log4shell',
    { score: 95, category: 'remote_code_execution', techniques: ['T1190', 'T1059'] },
    'JNDI lookup attempt(s)',
  ),
  bySignal(
    'command_injection',
    { score: 85, category: 'injection', techniques: ['T1190', 'T1059'] },
    'command-injection attempt(s)',
  ),
  bySignal(
    'code_injection',
    { score: 95, category: 'remote_code_execution', techniques: ['T1190', 'T1059'] },
    'code or expression-injection exploit attempt(s)',
  ),
  bySignal(
    'template_injection',
    { score: 85, category: 'injection', techniques: ['T1190', 'T1059'] },
    'template-injection attempt(s)',
  ),
  bySignal(
    'rfi',
    { score: 85, category: 'web_exploit', techniques: ['T1190', 'T1105'] },
    'remote-file-inclusion attempt(s)',
  ),
  bySignal(
    'lfi',
    { score: 80, category: 'web_exploit', techniques: ['T1190', 'T1083'] },
    'local-file-inclusion attempt(s)',
  ),
  bySignal('ssrf', { score: 80, category: 'web_exploit', techniques: ['T1190', 'T1552.005'] }, 'SSRF attempt(s)'),
  bySignal(
    'crlf_injection',
    { score: 70, category: 'web_exploit', techniques: ['T1190'] },
    'header-injection attempt(s)',
  ),
  bySignal('xxe', { score: 80, category: 'web_exploit', techniques: ['T1190'] }, 'XXE attempt(s)'),
  bySignal(
    'exploit_probe',
    { score: 80, category: 'web_exploit', techniques: ['T1190'] },
    'request(s) for a known exploit path',
  ),
  bySignal('sql_injection', { score: 80, category: 'injection', techniques: ['T1190'] }, 'SQL-injection attempt(s)'),
  bySignal(
    'path_traversal',
    { score: 75, category: 'web_exploit', techniques: ['T1190', 'T1083'] },
    'path-traversal attempt(s)',
  ),
  bySignal('xss', { score: 60, category: 'web_exploit', techniques: ['T1189'] }, 'cross-site-scripting attempt(s)'),
  (features) => {
    const probes = ever(features, 'sensitive_file_probe');
    if (probes === 0) {
      return null;
    }
    return {
      score: probes >= 5 ? 70 : 45,
      category: 'reconnaissance',
      techniques: ['T1595.003'],
      because: `${probes} probe(s) for sensitive files`,
    };
  },
  bySignal(
    'scanner',
    { score: 35, category: 'scanning', techniques: ['T1595.002'] },
    'event(s) from a scanner user agent',
  ),
  bySignal(
    'ssh_probe',
    { score: 30, category: 'scanning', techniques: ['T1595', 'T1046'] },
    'pre-authentication probe(s) of sshd (no banner, bad banner, no common algorithm, timeout, too many tries)',
  ),
];

export function levelFor(score: number): ThreatLevel {
  if (score >= 90) {
    return 'critical';
  }
  if (score >= 70) {
    return 'high';
  }
  if (score >= 40) {
    return 'medium';
  }
  if (score >= 15) {
    return 'low';
  }
  return 'none';
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * The mock analyst: deterministic, explainable rules over the context's features. The score
 * is the strongest finding, raised a little for each further kind of finding and for each
 * earlier block. No network, no clock.
 */
export function judgeHeuristically(features: TriageFeatures): Verdict {
  const findings = HEURISTIC_RULES.map((rule) => rule(features))
    .filter((finding): finding is Finding => finding !== null)
    .sort((a, b) => b.score - a.score);
  if (findings.length === 0) {
    return {
      level: 'none',
      score: 0,
      categories: ['benign'],
      techniques: [],
      confidence: features.totalEvents >= 10 ? 0.7 : 0.5,
      rationale: `No hostile signal in ${features.totalEvents} event(s).`,
      provider: 'heuristic',
    };
  }
  const strongest = findings[0].score;
  const breadth = 5 * (unique(findings.map((f) => f.category)).length - 1);
  const history = 5 * Math.min(features.offenceCount, 3);
  const score = Math.min(100, strongest + breadth + history);
  return {
    level: levelFor(score),
    score,
    categories: unique(findings.map((f) => f.category)),
    techniques: unique(findings.flatMap((f) => f.techniques)).sort(),
    confidence: Math.min(0.95, 0.6 + 0.05 * findings.length + (features.totalEvents >= 5 ? 0.1 : 0)),
    rationale:
      findings.map((f) => f.because).join('; ') +
      (features.offenceCount > 0 ? `; blocked ${features.offenceCount} time(s) before` : '') +
      '.',
    provider: 'heuristic',
  };
}
