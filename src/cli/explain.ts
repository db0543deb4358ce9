import { existsSync, readFileSync, statSync } from 'node:fs';
import { AdminClient } from './client';
import { emit, Io, printable } from './output';

/** What POST /explain answers for one line: what it would be stored as, or why not. */
export type Explanation =
  | {
      format: string;
      actor: string;
      scope?: string;
      time: string;
      signals: string[];
      matches: { signal: string; ruleId: string; field: string; matched: string }[];
    }
  | { actor: null; reason: string; format?: string };

/** The text to explain: a file's content when the argument names a file, `-` for stdin, else the line itself. */
export function explainInput(argument: string, readStdin: () => string): string {
  if (argument === '-') {
    return readStdin();
  }
  if (existsSync(argument) && statSync(argument).isFile()) {
    return readFileSync(argument, 'utf8');
  }
  return argument;
}

export function explanationText(lines: string[], answers: Explanation[]): string {
  return answers
    .map((answer, i) => {
      const head = `line ${i + 1}: ${printable((lines[i] ?? '').slice(0, 120))}`;
      if (answer.actor === null) {
        return `${head}\n  not stored: ${printable(answer.reason)}`;
      }
      const matches = answer.matches.map(
        (m) => `\n    ${m.signal} by rule ${m.ruleId} on ${m.field}: ${printable(m.matched)}`,
      );
      return `${head}\n  format ${answer.format}, actor ${answer.actor}${answer.scope === undefined ? '' : ` (${answer.scope})`}, time ${answer.time}\n  signals: ${answer.signals.length === 0 ? 'none' : answer.signals.join(', ')}${matches.join('')}`;
    })
    .join('\n');
}

export async function explain(client: AdminClient, io: Io, text: string): Promise<void> {
  const answers = await client.request<Explanation[]>('POST', '/explain', text, 'text/plain');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  emit(io, answers, () => explanationText(lines, answers));
}
