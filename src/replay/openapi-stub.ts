/**
 * Stands in for @nestjs/swagger in the parse worker's bundle (scripts/bundle-replay.mjs). The
 * worker validates parsed lines with the ingest DTOs, whose OpenAPI decorators only describe
 * the HTTP API: nothing on that thread reads them. A DTO that takes up another of the package's
 * decorators must be given it here, or the bundled replay stops at start-up (the replay's
 * end-to-end test runs it).
 */
const describesOnly = (): PropertyDecorator => () => undefined;

export const ApiProperty = describesOnly;
export const ApiPropertyOptional = describesOnly;
