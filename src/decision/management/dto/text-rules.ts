/** Free text an operator writes (reasons, notes): no control characters but tab and newlines. */
export const FREE_TEXT = /^(?=[^]*\S)(?:\P{Cc}|[\t\n\r])+$/u;

/** An operator's name as it goes into the audit trail: one line, printable. */
export const OPERATOR = /^(?=.*\S)\P{Cc}+$/u;

/** A decision id (UUID text, any version). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_REASON = 500;
export const MAX_OPERATOR = 64;
