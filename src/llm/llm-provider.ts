import { TriageContext } from '../context/triage-context';
import { Verdict } from '../domain/verdict';
import type { CallUsage } from '../domain/llm-call';

export interface JudgeOptions {
  /** Aborts an outbound call (shutdown). */
  signal?: AbortSignal;
  /** Told what an answered call cost, whether or not its answer was usable. */
  onUsage?: (usage: CallUsage) => void;
}

/**
 * Judges one actor from its triage context. The abstract class is also the injection token;
 * LlmModule's factory binds the heuristic or (when configured) Claude.
 */
export abstract class LlmProvider {
  abstract readonly name: Verdict['provider'];
  abstract judge(context: TriageContext, options?: JudgeOptions): Promise<Verdict>;
}
