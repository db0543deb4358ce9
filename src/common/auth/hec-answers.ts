/**
 * Splunk HTTP Event Collector answers (status and body), as forwarders configured for Splunk
 * expect them: the credential guard refuses a HEC token with them, the HEC routes answer with them.
 */

export interface HecAnswer {
  status: number;
  body: { text: string; code: number; 'invalid-event-number'?: number; reason?: string; ackId?: number };
}

export const HEC = {
  success: { status: 200, body: { text: 'Success', code: 0 } },
  healthy: { status: 200, body: { text: 'HEC is healthy', code: 17 } },
  tokenRequired: { status: 401, body: { text: 'Token is required', code: 2 } },
  invalidAuthorization: { status: 401, body: { text: 'Invalid authorization', code: 3 } },
  invalidToken: { status: 403, body: { text: 'Invalid token', code: 4 } },
  noData: { status: 400, body: { text: 'No data', code: 5 } },
  busy: { status: 503, body: { text: 'Server is busy', code: 9 } },
  /** Past INGEST_RATE_LIMIT: Splunk has no code of its own for it; clients retry on code 9. */
  rateLimited: { status: 429, body: { text: 'Server is busy', code: 9 } },
  dataChannelMissing: { status: 400, body: { text: 'Data channel is missing', code: 10 } },
  invalidDataChannel: { status: 400, body: { text: 'Invalid data channel', code: 11 } },
  ackDisabled: { status: 400, body: { text: 'ACK is disabled', code: 14 } },
} as const satisfies Record<string, HecAnswer>;
