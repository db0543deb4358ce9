import { TriageContext } from '../context/triage-context';
import { Verdict } from './verdict';

/**
 * Judges one actor from its triage context. The abstract class is also the injection token;
 * LlmModule's factory binds the heuristic or (when configured) Claude.
 */
export abstract class LlmProvider {
  abstract readonly name: Verdict['provider'];
  abstract judge(context: TriageContext): Promise<Verdict>;
}
