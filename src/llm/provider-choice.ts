import { LLM_PROVIDERS } from '../config/environment';

export type ProviderMode = (typeof LLM_PROVIDERS)[number];

/**
 * Which analyst reviews actors: `mock` never calls out; `anthropic` demands a key; `auto`
 * uses Claude exactly when a key is set. Throws a readable error (never the key) otherwise.
 */
export function chooseProvider(mode: ProviderMode, hasKey: boolean): 'anthropic' | 'heuristic' {
  switch (mode) {
    case 'mock':
      return 'heuristic';
    case 'anthropic':
      if (!hasKey) {
        throw new Error('LLM_PROVIDER=anthropic requires ANTHROPIC_API_KEY');
      }
      return 'anthropic';
    case 'auto':
      return hasKey ? 'anthropic' : 'heuristic';
  }
}
