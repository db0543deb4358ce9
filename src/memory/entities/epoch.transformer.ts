import { ValueTransformer } from 'typeorm';

/** Times are stored as integer milliseconds since the epoch (UTC): exact, sortable, portable. */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: number | string | null) => (value === null ? null : new Date(Number(value))),
};

/** JSON in a text column, parsed on read. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};
