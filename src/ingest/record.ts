import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { canonicalIp } from '../domain/ip';
import { EcsEventDto } from './dto/ecs-event.dto';
import { FlatEventDto } from './dto/flat-event.dto';
import { NormalisedEvent, Outcome } from '../domain/event';
import { resolveEventTime } from './event-time';
import { sshdOutcome } from './parsers/fields';
import { parseSshdMessage } from './parsers/sshd';
import { sshdAttempt } from './signals/attempt';

export type ParsedRecord = { ok: true; event: NormalisedEvent } | { ok: false; reason: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ECS_OBJECTS = ['source', 'client', 'event', 'url', 'user_agent', 'http', 'user', 'host'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** {"source.ip": "x"} → {source: {ip: "x"}}, as Filebeat's flattened output writes ECS. */
export function expandDottedKeys(record: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(record).some((key) => key.includes('.'))) {
    return record;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const path = key.split('.');
    if (path.some((part) => FORBIDDEN_KEYS.has(part) || part === '')) {
      continue;
    }
    let node = out;
    for (const part of path.slice(0, -1)) {
      if (!isPlainObject(node[part])) {
        node[part] = {};
      }
      node = node[part] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    node[last] = isPlainObject(value) && isPlainObject(node[last]) ? { ...(node[last] as object), ...value } : value;
  }
  return out;
}

function isEcs(record: Record<string, unknown>): boolean {
  return '@timestamp' in record || ECS_OBJECTS.some((key) => isPlainObject(record[key]));
}

function describeErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix + error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      text.startsWith(error.property) ? `${path}${text.slice(error.property.length)}` : `${path}: ${text}`,
    );
    return [...own, ...describeErrors(error.children ?? [], `${path}.`)];
  });
}

interface Fields {
  time?: string | number;
  ip?: string;
  ipField: string;
  port?: number;
  eventType?: string;
  outcome?: Outcome;
  host?: string;
  user?: string;
  message?: string;
  url?: string;
  httpMethod?: string;
  httpStatus?: number;
  userAgent?: string;
  original?: string;
}

function fromFlat(dto: FlatEventDto): Fields {
  return {
    time: dto.timestamp,
    ip: dto.source_ip,
    ipField: 'source_ip',
    port: dto.source_port,
    eventType: dto.event_type,
    outcome: dto.outcome,
    host: dto.host,
    user: dto.user,
    message: dto.message,
    url: dto.url,
    httpMethod: dto.http_method,
    httpStatus: dto.http_status,
    userAgent: dto.user_agent,
  };
}

function fromEcs(dto: EcsEventDto): Fields {
  const endpoint = dto.source?.ip !== undefined || dto.source?.address !== undefined ? dto.source : dto.client;
  const url =
    dto.url?.original ??
    (dto.url?.path !== undefined ? dto.url.path + (dto.url.query ? `?${dto.url.query}` : '') : undefined);
  return {
    time: dto['@timestamp'],
    ip: endpoint?.ip ?? endpoint?.address,
    ipField: endpoint === dto.client ? 'client.ip' : 'source.ip',
    port: endpoint?.port,
    eventType: dto.event?.action,
    outcome: dto.event?.outcome,
    host: dto.host?.name ?? dto.host?.hostname,
    user: dto.user?.name,
    message: dto.message,
    url,
    httpMethod: dto.http?.request?.method,
    httpStatus: dto.http?.response?.status_code,
    userAgent: dto.user_agent?.original,
    original: dto.event?.original,
  };
}

function toEvent(fields: Fields, now: Date, clampFuture: boolean): ParsedRecord {
  const facts = fields.message !== undefined ? parseSshdMessage(fields.message) : null;
  let sourceIp: string | null;
  if (fields.ip !== undefined) {
    sourceIp = canonicalIp(fields.ip);
    if (sourceIp === null) {
      return { ok: false, reason: `${fields.ipField} is not a valid IP address` };
    }
  } else {
    sourceIp = facts?.sourceIp ?? null;
    if (sourceIp === null) {
      return {
        ok: false,
        reason: 'no usable source address: give source_ip (or source.ip) or an sshd-style message naming one',
      };
    }
  }
  const eventTime = resolveEventTime(fields.time, now, clampFuture);
  if (typeof eventTime === 'string') {
    return { ok: false, reason: eventTime };
  }
  return {
    ok: true,
    event: {
      eventTime,
      sourceIp,
      sourcePort: fields.port ?? facts?.sourcePort,
      eventType: fields.eventType ?? (facts !== null ? `ssh_${facts.kind}` : undefined),
      outcome: fields.outcome ?? sshdOutcome(facts),
      host: fields.host,
      user: fields.user ?? facts?.user,
      message: fields.message,
      url: fields.url,
      httpMethod: fields.httpMethod,
      httpStatus: fields.httpStatus,
      userAgent: fields.userAgent,
      original: fields.original,
      ...attemptFor(facts, sourceIp, fields.host),
    },
  };
}

/** Attempt evidence of an sshd message about this event's own address (not another's). */
function attemptFor(facts: ReturnType<typeof parseSshdMessage>, sourceIp: string, host: string | undefined) {
  const attempt = facts !== null && facts.sourceIp === sourceIp ? sshdAttempt(facts, host) : undefined;
  return attempt === undefined ? {} : { attempt };
}

/**
 * One JSON record (flat or ECS form) → a normalised event, or the reason it cannot be used.
 * Validation is class-validator over the DTO of the detected form.
 */
export function parseRecord(raw: unknown, now: Date, clampFuture = true): ParsedRecord {
  if (!isPlainObject(raw)) {
    return { ok: false, reason: 'record must be a JSON object' };
  }
  const record = expandDottedKeys(raw);
  const ecs = isEcs(record);
  const dto = ecs ? plainToInstance(EcsEventDto, record) : plainToInstance(FlatEventDto, record);
  const errors = validateSync(dto, { forbidUnknownValues: false });
  if (errors.length > 0) {
    return { ok: false, reason: describeErrors(errors).join('; ') };
  }
  return toEvent(ecs ? fromEcs(dto as EcsEventDto) : fromFlat(dto as FlatEventDto), now, clampFuture);
}
