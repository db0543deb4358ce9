import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { LlmMetrics } from '../metrics/llm-metrics';
import { MetricsModule } from '../metrics/metrics.module';
import { HeuristicProvider } from './heuristic.provider';
import { LlmProvider } from './llm-provider';
import { chooseProvider } from './provider-choice';
import { ResilientAnalyst } from './resilient-analyst';

/** The longest retry-after honoured; beyond it the review gives up and the heuristic stands. */
const MAX_RETRY_WAIT_MS = 30_000;

type Config = ConfigService<Environment, true>;

async function bindProvider(config: Config, heuristic: HeuristicProvider): Promise<LlmProvider> {
  const logger = new Logger('LlmModule');
  const mode = config.get('LLM_PROVIDER', { infer: true });
  const apiKey = config.get('ANTHROPIC_API_KEY', { infer: true });
  if (chooseProvider(mode, apiKey !== undefined) === 'heuristic') {
    const why = mode === 'mock' && apiKey !== undefined ? ' (LLM_PROVIDER=mock: the API key is ignored)' : '';
    logger.log(`Verdicts come from the local heuristic; no outbound connection is made${why}.`);
    return heuristic;
  }
  const baseUrl = config.get('ANTHROPIC_BASE_URL', { infer: true });
  const model = config.get('ANTHROPIC_MODEL', { infer: true });
  logger.log(`Claude (${model} at ${new URL(baseUrl).host}) reviews actors after the heuristic has decided.`);
  // Loaded only here: in heuristic mode the Anthropic SDK is never even read from disk.
  const { AnthropicProvider } = await import('./anthropic.provider');
  return new AnthropicProvider({
    apiKey: apiKey as string,
    model,
    baseUrl,
    timeoutMs: config.get('LLM_TIMEOUT_MS', { infer: true }),
  });
}

/**
 * Binds LlmProvider from the validated config (HeuristicProvider or AnthropicProvider), and
 * the ResilientAnalyst that wraps it with a budget, a circuit breaker and bounded retries.
 * The heuristic is always available: it makes every immediate decision.
 */
@Module({
  imports: [MetricsModule],
  providers: [
    HeuristicProvider,
    { provide: LlmProvider, inject: [ConfigService, HeuristicProvider], useFactory: bindProvider },
    {
      provide: ResilientAnalyst,
      inject: [ConfigService, LlmProvider, LlmMetrics],
      useFactory: (config: Config, provider: LlmProvider, metrics: LlmMetrics) =>
        new ResilientAnalyst(
          provider,
          {
            maxRetries: config.get('LLM_MAX_RETRIES', { infer: true }),
            baseMs: config.get('LLM_RETRY_BASE_MS', { infer: true }),
            maxWaitMs: MAX_RETRY_WAIT_MS,
            threshold: config.get('LLM_BREAKER_THRESHOLD', { infer: true }),
            cooldownMs: config.get('LLM_BREAKER_COOLDOWN_MS', { infer: true }),
            callsPerMinute: config.get('LLM_MAX_CALLS_PER_MINUTE', { infer: true }),
          },
          metrics,
        ),
    },
  ],
  exports: [LlmProvider, HeuristicProvider, ResilientAnalyst],
})
export class LlmModule {}
