/**
 * Refuses regular expressions with the shape that backtracks catastrophically in a backtracking
 * engine such as V8's: a quantified group whose body can itself repeat (`(a+)+`, `(\w*\s?)*`,
 * `(?:x|y+){2,}`), and back-references (which no linear bound covers). Overlapping alternatives
 * under a quantifier (`(a|ab)*`) are not caught here: the repository's rules are reviewed for
 * them and run against long adversarial inputs in their tests.
 */
export function unsafeRegexReason(source: string): string | null {
  // For each open group: whether a quantifier has been seen inside it.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      if (/[1-9k]/.test(source[i + 1] ?? '') && !inClass) {
        return 'back-references are not allowed';
      }
      i += 1;
      continue;
    }
    if (inClass) {
      inClass = char !== ']';
      continue;
    }
    if (char === '[') {
      inClass = true;
    } else if (char === '(') {
      stack.push(false);
    } else if (char === ')') {
      const innerRepeats = stack.pop() ?? false;
      const quantified = isQuantifier(source, i + 1);
      if (innerRepeats && quantified) {
        return `nested quantifier at "${source.slice(Math.max(0, i - 20), i + 3)}" (can backtrack catastrophically)`;
      }
      markRepeat(stack, innerRepeats || quantified);
    } else if (isQuantifier(source, i)) {
      markRepeat(stack, true);
    }
  }
  return null;
}

function markRepeat(stack: boolean[], repeats: boolean): void {
  if (repeats && stack.length > 0) {
    stack[stack.length - 1] = true;
  }
}

/** `*`, `+` or an open-ended or multi-valued `{n,m}` at `at` (`?` and `{n}` do not repeat). */
function isQuantifier(source: string, at: number): boolean {
  const char = source[at];
  if (char === '*' || char === '+') {
    return true;
  }
  if (char !== '{') {
    return false;
  }
  const bound = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 16));
  return bound !== null && bound[2] !== undefined && bound[3] !== bound[1];
}
