/**
 * Stands in for @nestjs/swagger in the replay's bundles (scripts/bundle-replay.mjs). The parse
 * worker validates parsed lines with the ingest DTOs, whose OpenAPI decorators only describe
 * the HTTP API: nothing in the replay reads them. A DTO that takes up another of the package's
 * decorators must be given it here, or the bundled replay stops at start-up (the replay's
 * end-to-end test runs it).
 */
const describesOnly = (): PropertyDecorator => () => undefined;

export const ApiProperty = describesOnly;
export const ApiPropertyOptional = describesOnly;
