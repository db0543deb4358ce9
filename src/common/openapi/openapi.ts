import { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  SecurityRequirementObject,
  SecuritySchemeObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Credential, RequiresCredential } from '../auth/credential.decorator';
import { OPERATION_IDS } from './operation-ids';

/** Each credential, explained where Swagger shows it (the Authorize dialog and every operation). */
export const SECURITY_SCHEMES: Record<string, SecuritySchemeObject> = {
  'ingest-token': {
    type: 'apiKey',
    in: 'header',
    name: 'X-SOC-Token',
    description:
      'SOC_INGEST_TOKEN or one of SOC_INGEST_TOKENS, for forwarders: `X-SOC-Token: <token>` (or ingest-bearer). A plain shared secret, not a JWT.',
  },
  'ingest-bearer': {
    type: 'http',
    scheme: 'bearer',
    description:
      'An ingest token (SOC_INGEST_TOKEN or one of SOC_INGEST_TOKENS) as `Authorization: Bearer <token>`: the same token as ingest-token.',
  },
  'admin-token': {
    type: 'apiKey',
    in: 'header',
    name: 'X-SOC-Admin-Token',
    description:
      'SOC_ADMIN_TOKEN, for analysts, operators and Prometheus: `X-SOC-Admin-Token: <token>` (or admin-bearer). Never give it to a forwarder.',
  },
  'admin-bearer': {
    type: 'http',
    scheme: 'bearer',
    description: 'SOC_ADMIN_TOKEN as `Authorization: Bearer <token>`: the same token as admin-token.',
  },
  'hec-token': {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'Splunk HEC: `Authorization: Splunk <SOC_INGEST_TOKEN>` (type the word Splunk, a space, then the ingest token), as Splunk forwarders send it.',
  },
  'bouncer-key': {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description:
      'One of BOUNCER_API_KEYS (optionally given as `name:key`; the name labels metrics, only the key is sent), as CrowdSec bouncers send it.',
  },
};

/** Either requirement of a list is enough (OpenAPI's OR); `public` routes need none. */
const SECURITY: Record<Credential, SecurityRequirementObject[]> = {
  ingest: [{ 'ingest-token': [] }, { 'ingest-bearer': [] }],
  admin: [{ 'admin-token': [] }, { 'admin-bearer': [] }],
  hec: [{ 'hec-token': [] }],
  bouncer: [{ 'bouncer-key': [] }],
  public: [],
};

/** `Controller_method` → the credential its @RequiresCredential declares, read from the metadata the guard reads. */
function credentialsOf(app: INestApplication): Map<string, Credential> {
  const reflector = new Reflector();
  const out = new Map<string, Credential>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (type === null || typeof type !== 'function') {
        continue;
      }
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name !== 'constructor' && typeof handler === 'function') {
          const needed = reflector.getAllAndOverride(RequiresCredential, [handler, type]);
          if (needed !== undefined) {
            out.set(`${type.name}_${name}`, needed);
          }
        }
      }
    }
  }
  return out;
}

/**
 * The document as a person meets it: each operation's security is the credential the guard
 * enforces (so the two cannot disagree), and its id a readable name from OPERATION_IDS.
 */
export function finishDocument(document: OpenAPIObject, credentials: Map<string, Credential>): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [
      string,
      { operationId?: string; security?: unknown },
    ][]) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) {
        continue;
      }
      const handler = (operation.operationId ?? '').replace(/\[\d+\]$/, '');
      const needed = credentials.get(handler);
      // An undeclared route is closed by the guard: documenting no security would say "public".
      operation.security = needed === undefined ? [{ 'admin-token': [] }] : SECURITY[needed];
      operation.operationId = OPERATION_IDS[`${method.toUpperCase()} ${path}`] ?? operation.operationId;
    }
  }
  return document;
}

export function setUpSwagger(app: INestApplication): void {
  const builder = new DocumentBuilder()
    .setTitle('SOC triage service')
    .setDescription(
      'Ingests security events, remembers every actor (source address), judges it (Claude or a local heuristic) and publishes block/alert/monitor decisions. ' +
        'Credentials: forwarders use the ingest token (SOC_INGEST_TOKEN; Splunk HEC routes take it as `Authorization: Splunk <token>`), ' +
        'analysts and Prometheus the admin token (SOC_ADMIN_TOKEN), CrowdSec bouncers a bouncer key (BOUNCER_API_KEYS, `X-Api-Key`). ' +
        'All are plain shared secrets compared in constant time, not JWTs.',
    )
    .setVersion('0.1.0');
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    builder.addSecurity(name, scheme);
  }
  const document = finishDocument(SwaggerModule.createDocument(app, builder.build()), credentialsOf(app));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
