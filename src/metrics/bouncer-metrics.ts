import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter, Gauge } from 'prom-client';
import { bouncerKeyHash } from '../common/auth/bouncer-key';
import { parseNamedBouncerKeys } from '../config/bouncer-keys';
import { Environment } from '../config/environment';
import { MetricsService } from './metrics.service';

export const BOUNCER_PULL_MODES = ['startup', 'stream', 'live', 'check'] as const;
export type BouncerPullMode = (typeof BOUNCER_PULL_MODES)[number];

/**
 * Bouncer pulls by key name (BOUNCER_API_KEYS' `name:key`, else `key<position>`): never the
 * key, never its hash. At most 64 keys, so the label stays bounded.
 */
@Injectable()
export class BouncerMetrics {
  private readonly names = new Map<string, string>();
  private readonly pulls: Counter<'bouncer' | 'mode'>;
  private readonly lastPull: Gauge<'bouncer'>;

  constructor(metrics: MetricsService, config: ConfigService<Environment, true>) {
    const keys = config.get('BOUNCER_API_KEYS', { infer: true });
    for (const { name, key } of keys === undefined ? [] : parseNamedBouncerKeys(keys)) {
      this.names.set(bouncerKeyHash(key), name);
    }
    const registers = [metrics.registry];
    this.pulls = new Counter({
      name: 'soc_bouncer_pulls_total',
      help: 'Bouncer requests by key name and mode (startup, stream, live query, HEAD check).',
      labelNames: ['bouncer', 'mode'],
      registers,
    });
    this.lastPull = new Gauge({
      name: 'soc_bouncer_last_pull_timestamp_seconds',
      help: 'When each bouncer key last pulled (Unix time): a bouncer that stopped polling shows here.',
      labelNames: ['bouncer'],
      registers,
    });
    for (const bouncer of this.names.values()) {
      BOUNCER_PULL_MODES.forEach((mode) => this.pulls.inc({ bouncer, mode }, 0));
    }
  }

  /** The name of the key a request was admitted with (CredentialGuard stores its hash). */
  nameOf(keyHash: string): string {
    return this.names.get(keyHash) ?? 'unknown';
  }

  pulled(keyHash: string, mode: BouncerPullMode): void {
    const bouncer = this.nameOf(keyHash);
    this.pulls.inc({ bouncer, mode });
    if (mode !== 'check') {
      this.lastPull.set({ bouncer }, Date.now() / 1000);
    }
  }
}
