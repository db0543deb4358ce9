import { Injectable } from '@nestjs/common';
import { TriageContext } from '../context/triage-context';
import { LlmProvider } from './llm-provider';
import { judgeHeuristically } from './heuristic';
import { Verdict } from '../domain/verdict';

/** The provider used without an API key: local rules, no network connection of any kind. */
@Injectable()
export class HeuristicProvider extends LlmProvider {
  readonly name = 'heuristic' as const;

  judge(context: TriageContext): Promise<Verdict> {
    return Promise.resolve(judgeHeuristically(context.features));
  }
}
