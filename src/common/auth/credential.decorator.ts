import { Reflector } from '@nestjs/core';

/**
 * What a route needs: the ingest token, the admin token, or nothing (health, docs). Every
 * route must say; the global CredentialGuard refuses a route that does not.
 */
export type Credential = 'ingest' | 'admin' | 'public';

export const RequiresCredential = Reflector.createDecorator<Credential>();
