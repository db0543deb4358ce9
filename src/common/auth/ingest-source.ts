import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { IngestCredential } from '../../config/ingest-tokens';

/** A request as CredentialGuard leaves it: which credential it was admitted with. */
export interface AuthenticatedRequest extends FastifyRequest {
  /** Ingest and HEC routes, when ingest tokens are configured. */
  ingestCredential?: IngestCredential;
  /** Bouncer routes: the hash of the key (its stream cursor), never the key. */
  bouncerKeyHash?: string;
}

/**
 * The name of the ingest token a request was admitted with (recorded on its events as
 * `ingest_source`), or null when the ingest routes are open.
 */
export const IngestSource = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | null =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().ingestCredential?.name ?? null,
);
