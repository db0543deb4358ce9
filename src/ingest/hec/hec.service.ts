import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseUntrustedJson } from '../../common/untrusted-json';
import { Environment } from '../../config/environment';
import { EventSink, ReadItem } from '../event-sink';
import { isLineFormat } from '../parsers/formats';
import { readLines, splitLines } from '../raw-ingest.service';
import { parseRecord } from '../record';
import { AckChannels, channelName } from './ack-channels';
import { invalidDataFormat, readEnvelope, splitConcatenatedJson, formatForSourcetype } from './hec-protocol';
import { HEC, HecAnswer } from '../../common/auth/hec-answers';

/** Most ackIds one query may ask about (Splunk clients ask about what they sent, a few at a time). */
export const MAX_ACK_QUERY = 10_000;

/** What a request carried besides its body. */
export interface HecRequestMeta {
  /** X-Splunk-Request-Channel, or `?channel=`. */
  channel?: unknown;
}

/**
 * Splunk HEC semantics. A well-formed request is accepted whole: each event is stored when it
 * names an actor, and otherwise acknowledged and counted (unparsed or rejected, see
 * outcome/item-outcome.ts), so that no ordinary log line makes a forwarder retry a batch.
 * What is broken as JSON or as HEC (no `event` field, a blank one, bytes that are not JSON)
 * is answered as Splunk does: 400 naming the first bad event, the events before it kept.
 */
@Injectable()
export class HecService {
  private readonly maxBatch: number;
  private readonly acks: AckChannels | null;

  constructor(
    private readonly sink: EventSink,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBatch = config.get('INGEST_MAX_BATCH', { infer: true });
    this.acks =
      config.get('HEC_ACK', { infer: true }) === 'true'
        ? new AckChannels({
            maxChannels: config.get('HEC_ACK_MAX_CHANNELS', { infer: true }),
            maxPending: config.get('HEC_ACK_MAX_PENDING', { infer: true }),
          })
        : null;
  }

  health(): HecAnswer {
    return this.sink.busy ? HEC.busy : HEC.healthy;
  }

  /** `source`: the ingest token's name, recorded on the events (null when the routes are open). */
  async ingestEvents(body: unknown, meta: HecRequestMeta = {}, source: string | null = null): Promise<HecAnswer> {
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    const refusal = this.refuse(meta);
    if (refusal !== null) {
      return refusal;
    }
    if (text.trim() === '') {
      return HEC.noData;
    }
    const split = splitConcatenatedJson(text);
    const envelopes = split.values;
    const limit = Math.min(envelopes.length, this.maxBatch);
    const now = new Date();
    const items: ReadItem[] = [];
    let failure: HecAnswer | null = null;
    for (let index = 0; index < limit && failure === null; index += 1) {
      const item = readEnvelope(envelopes[index], index);
      if (item.kind === 'error') {
        failure = item.answer;
      } else if (item.kind === 'unusable') {
        items.push({ parsed: { ok: false, reason: item.reason }, format: 'hec' });
      } else if (item.kind === 'record') {
        items.push({ parsed: parseRecord(item.record, now), format: 'json' });
      } else {
        const format = item.format !== undefined && isLineFormat(item.format) ? item.format : undefined;
        items.push(...readLines([{ line: item.line, format, time: item.time, host: item.host }], now));
      }
    }
    if (failure === null && split.invalidAt !== undefined) {
      failure = invalidDataFormat(split.invalidAt, 'not valid JSON');
    }
    if (failure === null && envelopes.length > this.maxBatch) {
      failure = invalidDataFormat(this.maxBatch, `more than ${this.maxBatch} events in one request (INGEST_MAX_BATCH)`);
    }
    if (items.length > 0) {
      await this.sink.storeItems('hec_event', items, source);
    }
    return failure ?? this.success(meta);
  }

  /** `/services/collector/raw`: one event per line; `sourcetype` may name the format. */
  async ingestRaw(
    body: unknown,
    sourcetype: string | undefined,
    meta: HecRequestMeta = {},
    source: string | null = null,
  ): Promise<HecAnswer> {
    const refusal = this.refuse(meta);
    if (refusal !== null) {
      return refusal;
    }
    const lines = splitLines(typeof body === 'string' ? body : '');
    if (lines.length === 0) {
      return HEC.noData;
    }
    if (lines.length > this.maxBatch) {
      return invalidDataFormat(this.maxBatch, `more than ${this.maxBatch} lines in one request (INGEST_MAX_BATCH)`);
    }
    const known = formatForSourcetype(sourcetype);
    const format = known !== undefined && isLineFormat(known) ? known : undefined;
    const items = readLines(
      lines.map((input) => ({ ...input, format })),
      new Date(),
    );
    await this.sink.storeItems('hec_raw', items, source);
    return this.success(meta);
  }

  /** `/services/collector/ack`: `{"acks":[ids]}` → `{"acks":{"id":true|false}}`. */
  queryAcks(body: unknown, meta: HecRequestMeta): HecAnswer | { status: 200; body: { acks: Record<string, boolean> } } {
    if (this.acks === null) {
      return HEC.ackDisabled;
    }
    const channel = this.channelOf(meta);
    if (typeof channel !== 'string') {
      return channel;
    }
    const ids = ackIdsOf(body);
    if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && (id as number) >= 0)) {
      return invalidDataFormat(0, 'the body must be {"acks":[ackId, …]} with non-negative integer ids');
    }
    if (ids.length > MAX_ACK_QUERY) {
      return invalidDataFormat(0, `at most ${MAX_ACK_QUERY} ackIds per query`);
    }
    return { status: 200, body: { acks: this.acks.query(channel, ids as number[], Date.now()) } };
  }

  /** Splunk's refusals before the body is read: a full write queue, a missing or unknown channel. */
  private refuse(meta: HecRequestMeta): HecAnswer | null {
    if (this.sink.busy) {
      return HEC.busy;
    }
    if (this.acks === null) {
      return null;
    }
    const channel = this.channelOf(meta);
    if (typeof channel !== 'string') {
      return channel;
    }
    return this.acks.admit(channel, Date.now()) ? null : HEC.busy;
  }

  private channelOf(meta: HecRequestMeta): string | HecAnswer {
    if (meta.channel === undefined || meta.channel === '') {
      return HEC.dataChannelMissing;
    }
    return channelName(meta.channel) ?? HEC.invalidDataChannel;
  }

  /** After the commit: with acks on, the request's ackId on its channel. */
  private success(meta: HecRequestMeta): HecAnswer {
    if (this.acks === null) {
      return HEC.success;
    }
    const ackId = this.acks.issue(channelName(meta.channel) as string, Date.now());
    return ackId === null ? HEC.busy : { status: 200, body: { ...HEC.success.body, ackId } };
  }
}

/** The `acks` array of a query body (text on the HEC routes, or already parsed). */
function ackIdsOf(body: unknown): unknown {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = parseUntrustedJson(body);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null ? (value as { acks?: unknown }).acks : undefined;
}
