import Anthropic from '@anthropic-ai/sdk';
import { performance } from 'node:perf_hooks';
import { TriageContext } from '../context/triage-context';
import { UnsafeContextError } from './context-guard';
import { classifyError } from './anthropic-errors';
import { LlmCallError } from './llm-call-error';
import { JudgeOptions, LlmProvider } from './llm-provider';
import { buildVerdictRequest } from './prompt';
import { Verdict } from '../domain/verdict';
import { usageOf, verdictFromMessage } from './verdict-tool';

export interface AnthropicSettings {
  apiKey: string;
  model: string;
  baseUrl: string;
  timeoutMs: number;
}

/**
 * Claude through the Messages API: one attempt per `judge`, the verdict forced through the
 * record_verdict tool. Retries, backoff, the breaker and the budget live in ResilientAnalyst,
 * so the SDK's own retries are off. Every setting is passed explicitly, so the SDK reads no
 * credential, profile or base URL from the environment behind the validated config.
 */
export class AnthropicProvider extends LlmProvider {
  readonly name = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(private readonly settings: AnthropicSettings) {
    super();
    this.client = new Anthropic({
      apiKey: settings.apiKey,
      authToken: null,
      webhookKey: null,
      baseURL: settings.baseUrl,
      timeout: settings.timeoutMs,
      maxRetries: 0,
      openTelemetry: false,
      logLevel: 'off',
    });
  }

  get model(): string {
    return this.settings.model;
  }

  async judge(context: TriageContext, options: JudgeOptions = {}): Promise<Verdict> {
    let request;
    try {
      request = buildVerdictRequest(context, this.settings.model);
    } catch (error) {
      if (error instanceof UnsafeContextError) {
        throw new LlmCallError('unsafe_context', error.message, { retryable: false });
      }
      throw error;
    }
    const started = performance.now();
    let message: Anthropic.Message;
    try {
      message = await this.client.messages.create(request, {
        timeout: this.settings.timeoutMs,
        maxRetries: 0,
        signal: options.signal,
      });
    } catch (error) {
      throw classifyError(error, Date.now());
    }
    options.onUsage?.(usageOf(message));
    const found = verdictFromMessage(message, Math.round(performance.now() - started));
    if (!found.ok) {
      throw new LlmCallError('invalid_output', `unusable answer: ${found.reason}`);
    }
    return found.verdict;
  }
}
