/** The shortest bouncer API key accepted, as for the other tokens. */
export const MIN_BOUNCER_KEY_LENGTH = 16;
const MAX_BOUNCER_KEY_LENGTH = 512;
const MAX_BOUNCER_KEYS = 64;

/** `name:` before a key: a label for metrics and logs, never secret. */
const NAMED = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):(.*)$/;

/** A configured bouncer key and the name it is known by (the key itself is never shown). */
export interface NamedBouncerKey {
  /** Given as `name:key`, else `key<position>` (1-based), stable while the list's order is. */
  name: string;
  key: string;
}

/**
 * BOUNCER_API_KEYS → the keys, one per bouncer (or per group sharing a stream cursor), each
 * optionally named (`firewall:<key>`). Errors name the position of a bad key, never its text.
 * A key that itself holds a `:` after a name-like prefix must therefore be given a name.
 */
export function parseNamedBouncerKeys(value: string): NamedBouncerKey[] {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_BOUNCER_KEYS) {
    throw new Error(`at most ${MAX_BOUNCER_KEYS} keys`);
  }
  const named = entries.map((entry, index): NamedBouncerKey => {
    const match = NAMED.exec(entry);
    return match === null ? { name: `key${index + 1}`, key: entry } : { name: match[1], key: match[2] };
  });
  const keys = named.map((entry) => entry.key);
  const names = named.map((entry) => entry.name);
  named.forEach(({ key, name }, index) => {
    const which = `key ${index + 1} of ${keys.length}`;
    if (key.length < MIN_BOUNCER_KEY_LENGTH) {
      throw new Error(`${which} must be at least ${MIN_BOUNCER_KEY_LENGTH} characters (after its name, if any)`);
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
    if (names.indexOf(name) !== index) {
      throw new Error(`${which} has the name of key ${names.indexOf(name) + 1}`);
    }
  });
  return named;
}

/** The keys of BOUNCER_API_KEYS without their names. */
export function parseBouncerKeys(value: string): string[] {
  return parseNamedBouncerKeys(value).map((entry) => entry.key);
}
