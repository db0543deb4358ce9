/**
 * What became of one item (a record, a line, a HEC event) of a well-formed request. Pure.
 *
 * - `accepted`: stored, keyed to its actor.
 * - `unparsed`: read, but nothing in it names an actor (no address: `pam_unix(sshd:auth): check
 *   pass; user unknown`, a CRON line), or not in any format the parsers know. Ordinary log
 *   noise: acknowledged and counted, never stored, never a reason to fail the request.
 * - `rejected`: it claims something that is not true of its kind (a source address that is not
 *   an address, a field of the wrong type, a line that is not valid JSON, a line over 64 KiB).
 *   Also acknowledged and counted: the sender cannot fix it by sending it again.
 */
export type ItemStatus = 'accepted' | 'unparsed' | 'rejected';

/** Bounded label values for metrics: the reasons themselves are free text. */
export const FAILURE_KINDS = ['no_address', 'unknown_format', 'invalid_json', 'too_long', 'invalid_field'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface ItemFailure {
  status: Exclude<ItemStatus, 'accepted'>;
  kind: FailureKind;
}
