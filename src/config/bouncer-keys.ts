/** The shortest bouncer API key accepted, as for the other tokens. */
export const MIN_BOUNCER_KEY_LENGTH = 16;
const MAX_BOUNCER_KEY_LENGTH = 512;
const MAX_BOUNCER_KEYS = 64;

/**
 * BOUNCER_API_KEYS → the keys, one per bouncer (or per group sharing a stream cursor).
 * Errors name the position of a bad key, never its text.
 */
export function parseBouncerKeys(value: string): string[] {
  const keys = value.split(',').map((key) => key.trim());
  if (keys.length > MAX_BOUNCER_KEYS) {
    throw new Error(`at most ${MAX_BOUNCER_KEYS} keys`);
  }
  keys.forEach((key, index) => {
    const which = `key ${index + 1} of ${keys.length}`;
    if (key.length < MIN_BOUNCER_KEY_LENGTH) {
      throw new Error(`${which} must be at least ${MIN_BOUNCER_KEY_LENGTH} characters`);
    }
    if (key.length > MAX_BOUNCER_KEY_LENGTH) {
      throw new Error(`${which} must be at most ${MAX_BOUNCER_KEY_LENGTH} characters`);
    }
    if (!/^[\x21-\x7e]+$/.test(key)) {
      throw new Error(`${which} must be printable ASCII without spaces`);
    }
    if (keys.indexOf(key) !== index) {
      throw new Error(`${which} repeats key ${keys.indexOf(key) + 1}`);
    }
  });
  return keys;
}
