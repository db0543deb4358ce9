/**
 * JavaScript source made ASCII-only, with the same meaning: each character above U+007F becomes
 * its `\uXXXX` escape (an astral character, its two surrogates' escapes).
 *
 * Why: Node decodes an ASCII file as Latin-1, a plain copy, and V8 keeps it as a one-byte
 * string; one character above ASCII makes it decode the whole file as UTF-8 into a two-byte
 * string of twice the size. esbuild escapes what it writes in strings and identifiers, but
 * leaves regular-expression literals as they are (validator's alphabets keep theirs).
 *
 * The escape means the character itself in strings, identifiers, comments and regular
 * expressions, with or without the `u` flag. The one place it would not is an identity escape
 * (`\Ä`, a backslash before the character): there the backslash is dropped with it, since `\Ä`
 * already meant `Ä`. Not for raw template text (String.raw), which esbuild's bundles never
 * hold above ASCII.
 */
export function toAsciiSource(source: string): string {
  return source.replace(/(\\*)([\u0080-\uffff])/g, (_match, slashes: string, char: string) => {
    const escaped = char.charCodeAt(0).toString(16).padStart(4, '0');
    // An odd run of backslashes ends in one that escapes this character.
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
    return `${kept}\\u${escaped}`;
  });
}
