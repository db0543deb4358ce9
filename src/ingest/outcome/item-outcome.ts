import type { ItemFailure } from '../../domain/item-outcome';

/**
 * The parsers answer a failure with a reason in words; this sorts those words into kinds.
 * `item-outcome.spec.ts` runs the real parsers on one input of each kind, so a reworded
 * reason that no longer sorts shows up there, not in production.
 */
export function classifyFailure(reason: string): ItemFailure {
  if (reason.startsWith('no usable source address')) {
    return { status: 'unparsed', kind: 'no_address' };
  }
  if (/^not a json line:|^line is not valid JSON|^not valid JSON|^JSON nested deeper than/.test(reason)) {
    return { status: 'rejected', kind: 'invalid_json' };
  }
  if (/^not an? \S+ line:/.test(reason) || reason === 'empty line') {
    return { status: 'unparsed', kind: 'unknown_format' };
  }
  if (reason.startsWith('line is longer than')) {
    return { status: 'rejected', kind: 'too_long' };
  }
  return { status: 'rejected', kind: 'invalid_field' };
}
