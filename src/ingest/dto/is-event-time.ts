import { registerDecorator, ValidationOptions } from 'class-validator';

/** ISO 8601 text ("2026-11-24T10:00:00Z") or epoch seconds/milliseconds as a number. */
export function isEventTime(value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 && value < 253402300800000;
  }
  return (
    typeof value === 'string' &&
    value.length <= 64 &&
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value.trim())
  );
}

export function IsEventTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isEventTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an ISO 8601 time or epoch seconds/milliseconds', ...options },
      validator: { validate: isEventTime },
    });
  };
}
