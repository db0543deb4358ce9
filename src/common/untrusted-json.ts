/**
 * How deep a JSON value from a client may nest. Events need five or six levels (an ECS
 * record in a HEC envelope); everything that walks a parsed value afterwards (the DTO
 * transformer, the validator, the record mapper) recurses, so without a bound a body nested a
 * few thousand deep ends in a stack overflow instead of an answer.
 */
export const MAX_JSON_DEPTH = 32;

export class JsonTooDeepError extends SyntaxError {
  constructor(max: number) {
    super(`JSON nested deeper than ${max} levels`);
    this.name = 'JsonTooDeepError';
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the text opens more than `max` nested objects or arrays at any point: one linear,
 * iterative pass that skips strings (and their escapes), so it cannot itself run out of stack.
 * Unbalanced or invalid text is left to JSON.parse to reject.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i += 1;
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) {
        return true;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Whether the text holds at most `max` `{` and `[` in all (strings included): then it cannot
 * nest deeper than `max`. Native searches, so a typical record (a brace or two) costs two
 * short scans instead of a loop over every character.
 */
function fewOpeners(text: string, max: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    for (let at = text.indexOf(opener); at !== -1; at = text.indexOf(opener, at + 1)) {
      count += 1;
      if (count > max) {
        return false;
      }
    }
  }
  return true;
}

/** JSON.parse for text a client sent: a SyntaxError (JsonTooDeepError) past MAX_JSON_DEPTH. */
export function parseUntrustedJson(text: string, max = MAX_JSON_DEPTH): unknown {
  if (!fewOpeners(text, max) && nestsDeeperThan(text, max)) {
    throw new JsonTooDeepError(max);
  }
  return JSON.parse(text) as unknown;
}
