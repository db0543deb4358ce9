import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EcsEventDto } from './dto/ecs-event.dto';
import { FlatEventDto } from './dto/flat-event.dto';
import { EventFields, ParsedRecord, toEvent } from './normalise';
import { parseSshdMessage, SshdFacts } from './parsers/sshd';

/** A record without an address field is keyed by the sshd message it carries, if any. */
const NO_ADDRESS = 'no usable source address: give source_ip (or source.ip) or an sshd-style message naming one';

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

function fromFlat(dto: FlatEventDto): EventFields {
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
    sshd: sshdFacts(dto.message),
  };
}

function fromEcs(dto: EcsEventDto): EventFields {
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
    sshd: sshdFacts(dto.message),
  };
}

function sshdFacts(message: string | undefined): SshdFacts | null {
  return message !== undefined ? parseSshdMessage(message) : null;
}

/**
 * One JSON record (flat or ECS form) → a normalised event, or the reason it cannot be used.
 * Validation is class-validator over the DTO of the detected form; the event is made by
 * toEvent (normalise.ts), as for a raw line.
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
  const fields = ecs ? fromEcs(dto as EcsEventDto) : fromFlat(dto as FlatEventDto);
  return toEvent(fields, { now, clampFuture, noAddress: NO_ADDRESS });
}
