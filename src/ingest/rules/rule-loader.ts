import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { compileRule, RuleError, WebRule } from './sigma-rule';

/**
 * Loads web rules from folders of YAML files (`*.yml`, `*.yaml`, searched recursively; one rule
 * per YAML document, `---` between documents). A file that does not parse, a rule that does not
 * compile and an id used twice each stop the load with the file, the line and the reason: a
 * detection rule that silently does nothing is worse than a service that does not start.
 */
export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

const RULE_FILE = /\.ya?ml$/i;
const MAX_RULE_FILE_BYTES = 1024 * 1024;

function ruleFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RuleLoadError(dir, 0, 'not a folder');
  }
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return ruleFiles(path);
      }
      return entry.isFile() && RULE_FILE.test(entry.name) ? [path] : [];
    });
}

/** The node at `path` inside a document, as deep as the path goes. */
function nodeAt(root: unknown, path: readonly (string | number)[]): Node | undefined {
  let node = root as Node | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === String(key));
      node = (pair?.value ?? pair?.key) as Node | undefined;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | undefined;
    } else {
      break;
    }
  }
  return node;
}

function lineOf(counter: LineCounter, node: Node | undefined, fallback: number): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : counter.linePos(offset).line;
}

/** Rules of one file; `label` is how errors name it. */
export function loadRuleFile(path: string, label = path): WebRule[] {
  if (statSync(path).size > MAX_RULE_FILE_BYTES) {
    throw new RuleLoadError(label, 0, 'larger than 1 MiB');
  }
  const counter = new LineCounter();
  const documents = parseAllDocuments(readFileSync(path, 'utf8'), { lineCounter: counter, uniqueKeys: true });
  if (!Array.isArray(documents)) {
    return [];
  }
  const rules: WebRule[] = [];
  for (const document of documents) {
    const start = lineOf(counter, document.contents ?? undefined, 1);
    const problem = document.errors[0];
    if (problem !== undefined) {
      throw new RuleLoadError(
        label,
        counter.linePos(problem.pos[0]).line,
        problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      );
    }
    const raw: unknown = document.toJS({ maxAliasCount: 0 });
    if (raw === null || raw === undefined) {
      continue;
    }
    try {
      const rule = compileRule(raw, label);
      rule.cases.match.forEach(
        (c, i) => (c.line = lineOf(counter, nodeAt(document.contents, ['tests', 'match', i]), start)),
      );
      rule.cases.nomatch.forEach(
        (c, i) => (c.line = lineOf(counter, nodeAt(document.contents, ['tests', 'nomatch', i]), start)),
      );
      rules.push(rule);
    } catch (error) {
      if (error instanceof RuleError) {
        throw new RuleLoadError(label, lineOf(counter, nodeAt(document.contents, error.path), start), error.message);
      }
      throw error;
    }
  }
  return rules;
}

/** Every rule in these folders, ids unique across all of them. */
export function loadRuleDirs(dirs: readonly string[]): WebRule[] {
  const rules: WebRule[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of ruleFiles(dir)) {
      const label = relative(process.cwd(), file) || file;
      for (const rule of loadRuleFile(file, label)) {
        const earlier = seen.get(rule.id);
        if (earlier !== undefined) {
          throw new RuleLoadError(label, 0, `rule id "${rule.id}" is already used in ${earlier}`);
        }
        seen.set(rule.id, label);
        rules.push(rule);
      }
    }
  }
  return rules;
}

/** The repository's rules/web folder, found from this file in src/, dist/ or a bundle. */
export function repositoryRulesDir(): string {
  for (let dir = __dirname, up = 0; up < 6; dir = resolve(dir, '..'), up += 1) {
    const candidate = join(dir, 'rules', 'web');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) {
      return candidate;
    }
  }
  throw new RuleLoadError('rules/web', 0, `the repository's rule folder was not found above ${__dirname}`);
}
