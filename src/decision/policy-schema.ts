/**
 * A small validating reader for policy files: each reader checks one value, reports every
 * problem with the path of the field (`rules[2].when.atLeast`) and a reason, and returns the
 * typed value. Objects refuse unknown keys, so a typo cannot silently disable a rule.
 */
export type PathPart = string | number;

export interface Issue {
  path: PathPart[];
  reason: string;
}

export type Reader<T> = (value: unknown, path: PathPart[], issues: Issue[]) => T | undefined;

export function formatPath(path: readonly PathPart[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`),
    '',
  );
}

function fail(issues: Issue[], path: PathPart[], reason: string): undefined {
  issues.push({ path, reason });
  return undefined;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function text(options: { min?: number; max: number; pattern?: RegExp; patternReason?: string }): Reader<string> {
  const min = options.min ?? 1;
  return (value, path, issues) => {
    if (typeof value !== 'string') {
      return fail(issues, path, 'must be a string');
    }
    if (value.length < min || value.length > options.max) {
      return fail(issues, path, `must be ${min}-${options.max} characters long`);
    }
    if (options.pattern !== undefined && !options.pattern.test(value)) {
      return fail(issues, path, options.patternReason ?? `must match ${String(options.pattern)}`);
    }
    return value;
  };
}

export function integer(min: number, max: number): Reader<number> {
  return (value, path, issues) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? value
      : fail(issues, path, `must be an integer between ${min} and ${max}`);
}

export function decimal(min: number, max: number): Reader<number> {
  return (value, path, issues) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
      ? value
      : fail(issues, path, `must be a number between ${min} and ${max}`);
}

export const boolean: Reader<boolean> = (value, path, issues) =>
  typeof value === 'boolean' ? value : fail(issues, path, 'must be true or false');

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A whole number of seconds, or a duration with one unit: `90s`, `10m`, `1h`, `7d`. */
export function seconds(min: number, max: number): Reader<number> {
  return (value, path, issues) => {
    const match = typeof value === 'string' ? /^(\d{1,7})([smhd])$/.exec(value.trim()) : null;
    const total = match !== null ? Number(match[1]) * UNITS[match[2]] : value;
    if (typeof total === 'number' && Number.isInteger(total) && total >= min && total <= max) {
      return total;
    }
    return fail(
      issues,
      path,
      `must be a duration between ${min} and ${max} seconds: a whole number of seconds or e.g. 90s, 10m, 1h, 7d`,
    );
  };
}

export function oneOf<T extends string>(values: readonly T[]): Reader<T> {
  return (value, path, issues) =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? (value as T)
      : fail(issues, path, `must be one of: ${values.join(', ')} (got ${show(value)})`);
}

export function nullable<T>(reader: Reader<T>): Reader<T | null> {
  return (value, path, issues) => (value === null ? null : reader(value, path, issues));
}

export function list<T>(item: Reader<T>, options: { min?: number; max: number; unique?: boolean }): Reader<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      return fail(issues, path, 'must be a list');
    }
    const min = options.min ?? 0;
    if (value.length < min || value.length > options.max) {
      return fail(issues, path, `must hold ${min}-${options.max} entries`);
    }
    const before = issues.length;
    const out = value.map((entry, index) => item(entry, [...path, index], issues));
    if (options.unique === true) {
      out.forEach((entry, index) => {
        if (entry !== undefined && out.indexOf(entry) !== index) {
          fail(issues, [...path, index], `${show(entry)} is listed twice`);
        }
      });
    }
    return issues.length === before ? (out as T[]) : undefined;
  };
}

/** Also checks the parsed value; returns a reason when it is wrong. */
export function refine<T>(reader: Reader<T>, check: (value: T) => string | null): Reader<T> {
  return (value, path, issues) => {
    const read = reader(value, path, issues);
    if (read === undefined) {
      return undefined;
    }
    const reason = check(read);
    return reason === null ? read : fail(issues, path, reason);
  };
}

/** Maps a read value, reporting a thrown Error's message as the reason. */
export function convert<T, U>(reader: Reader<T>, map: (value: T) => U): Reader<U> {
  return (value, path, issues) => {
    const read = reader(value, path, issues);
    if (read === undefined) {
      return undefined;
    }
    try {
      return map(read);
    } catch (error) {
      return fail(issues, path, (error as Error).message);
    }
  };
}

interface Field<T> {
  read: Reader<T>;
  /** When absent: the value to use. */
  otherwise?: T;
  /** Absent is fine and stays absent. Without `otherwise` or `optional`, the key is required. */
  optional?: boolean;
}

export type Fields<T> = { [K in keyof T]-?: Field<T[K]> };

export function field<T>(read: Reader<T>, otherwise?: T): Field<T> {
  return otherwise === undefined ? { read } : { read, otherwise };
}

export function optional<T>(read: Reader<T>): Field<T | undefined> {
  return { read, optional: true };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + Number(a[i - 1] !== b[j - 1])));
    }
    previous = current;
  }
  return previous[b.length];
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) {
    n += 1;
  }
  return n;
}

function unknownKey(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const near = known.find((name) => {
    const candidate = name.toLowerCase();
    return editDistance(candidate, lower) <= 2 || commonPrefix(candidate, lower) >= 6;
  });
  return `unknown key${near === undefined ? '' : ` (did you mean "${near}"?)`}; known keys: ${known.join(', ')}`;
}

export function object<T extends object>(fields: Fields<T>): Reader<T> {
  const known = Object.keys(fields);
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(issues, path, 'must be a mapping of keys to values');
    }
    const before = issues.length;
    const raw = value as Record<string, unknown>;
    for (const key of Object.keys(raw)) {
      if (!Object.prototype.hasOwnProperty.call(fields, key)) {
        fail(issues, [...path, key], unknownKey(key, known));
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of known) {
      const spec = (fields as Record<string, Field<unknown>>)[key];
      if (!Object.prototype.hasOwnProperty.call(raw, key) || raw[key] === undefined) {
        if ('otherwise' in spec) {
          out[key] = spec.otherwise;
        } else if (spec.optional !== true) {
          fail(issues, [...path, key], 'is required');
        }
        continue;
      }
      out[key] = spec.read(raw[key], [...path, key], issues);
    }
    return issues.length === before ? (out as T) : undefined;
  };
}
