/** Free text an operator writes (reasons, notes): no control characters but tab and newlines. */
export const FREE_TEXT = /^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*\S[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/;

/** An operator's name as it goes into the audit trail: one line, printable. */
export const OPERATOR = /^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$/;

/** A decision id (UUID text, any version). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_REASON = 500;
export const MAX_OPERATOR = 64;
