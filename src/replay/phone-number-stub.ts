/**
 * Stands in for libphonenumber-js in the replay's bundles (scripts/bundle-replay.mjs).
 * class-validator loads it for its IsPhoneNumber decorator, which nothing here uses, and its
 * metadata alone is a large part of what a short replay spends loading. Should anything ask,
 * it fails, and class-validator reads a failure as "not a phone number".
 */
export function parsePhoneNumber(): never {
  throw new Error('phone numbers are not read in the replay');
}
