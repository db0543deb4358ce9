import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { HeuristicProvider } from './heuristic.provider';
import { LlmProvider } from './llm-provider';

/**
 * Binds LlmProvider from the validated config. Only the heuristic exists so far: with
 * LLM_PROVIDER=auto and an API key set, the service says so and stays offline.
 */
@Module({
  providers: [
    HeuristicProvider,
    {
      provide: LlmProvider,
      inject: [ConfigService, HeuristicProvider],
      useFactory: (config: ConfigService<Environment, true>, heuristic: HeuristicProvider): LlmProvider => {
        const mode = config.get('LLM_PROVIDER', { infer: true });
        if (mode === 'auto' && config.get('ANTHROPIC_API_KEY', { infer: true }) !== undefined) {
          new Logger('LlmModule').warn(
            'ANTHROPIC_API_KEY is set but this build has no Anthropic provider yet; verdicts come from the local heuristic and no connection is made.',
          );
        }
        return heuristic;
      },
    },
  ],
  exports: [LlmProvider, HeuristicProvider],
})
export class LlmModule {}
