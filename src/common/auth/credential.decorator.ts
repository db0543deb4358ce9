import { Reflector } from '@nestjs/core';

/**
 * What a route needs: the ingest token (or, on the Splunk HEC routes, the same token as
 * `Authorization: Splunk <token>`), the admin token, or nothing (health, docs). Every
 * route must say; the global CredentialGuard refuses a route that does not.
 */
/** `bouncer`: one of BOUNCER_API_KEYS in `X-Api-Key`, as CrowdSec bouncers send it. */
export type Credential = 'ingest' | 'hec' | 'admin' | 'bouncer' | 'public';

export const RequiresCredential = Reflector.createDecorator<Credential>();
