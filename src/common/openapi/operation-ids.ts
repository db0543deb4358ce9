/**
 * Readable operation ids (what client generators name their functions), by `METHOD path`.
 * A route missing here keeps Nest's `Controller_method` id, which test/openapi.e2e-spec.ts refuses.
 */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'POST /ingest-log': 'ingestEvent',
  'POST /ingest-log/batch': 'ingestBatch',
  'POST /ingest-log/raw': 'ingestRawLines',
  'POST /services/collector/event': 'hecEvents',
  'POST /services/collector/event/1.0': 'hecEventsV1',
  'POST /services/collector': 'hecEventsRoot',
  'POST /services/collector/raw': 'hecRaw',
  'POST /services/collector/raw/1.0': 'hecRawV1',
  'GET /services/collector/health': 'hecHealth',
  'GET /services/collector/health/1.0': 'hecHealthV1',
  'POST /services/collector/ack': 'hecAck',
  'POST /services/collector/ack/1.0': 'hecAckV1',
  'GET /actors/{ip}': 'getActor',
  'POST /actors/{ip}/feedback': 'giveActorFeedback',
  'GET /decisions': 'listDecisions',
  'POST /decisions': 'createDecision',
  'GET /decisions/blocklist': 'getBlocklist',
  'DELETE /decisions/{id}': 'revokeDecision',
  'POST /decisions/{id}/approve': 'approveDecision',
  'POST /decisions/{id}/reject': 'rejectDecision',
  'GET /audit': 'listAudit',
  'HEAD /v1/decisions/stream': 'checkBouncerStreamKey',
  'GET /v1/decisions/stream': 'bouncerStream',
  'HEAD /v1/decisions': 'checkBouncerKey',
  'GET /v1/decisions': 'bouncerDecisions',
  'GET /health': 'health',
  'GET /metrics': 'prometheusMetrics',
  'GET /llm/stats': 'llmStats',
};
