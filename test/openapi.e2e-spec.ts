import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  op: Json;
}

const BOUNCER_KEY = 'openapi-bouncer-key-0123456789';

/** Every operation of the document, with its method and path. */
function operations(document: Json): Operation[] {
  return Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

/**
 * Where a schema or media type lacks an example: every leaf must have one (or be an enum),
 * through $ref, arrays, allOf/oneOf; an `example` at any level covers what is below it.
 */
function missingExamples(
  node: Json | undefined,
  schemas: Record<string, Json>,
  at: string,
  seen = new Set<string>(),
): string[] {
  if (node === undefined) {
    return [at];
  }
  if ('example' in node || 'examples' in node || 'enum' in node) {
    return [];
  }
  if (typeof node.$ref === 'string') {
    const name = node.$ref.split('/').at(-1) as string;
    return seen.has(name) ? [] : missingExamples(schemas[name], schemas, `${at}→${name}`, new Set([...seen, name]));
  }
  if ('schema' in node) {
    return missingExamples(node.schema as Json, schemas, at, seen);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    if (Array.isArray(node[key])) {
      return (node[key] as Json[]).flatMap((member, i) => missingExamples(member, schemas, `${at}.${key}[${i}]`, seen));
    }
  }
  if (node.type === 'array') {
    return missingExamples(node.items as Json, schemas, `${at}[]`, seen);
  }
  if (node.properties !== undefined) {
    return Object.entries(node.properties as Record<string, Json>).flatMap(([name, property]) =>
      missingExamples(property, schemas, `${at}.${name}`, seen),
    );
  }
  return [at];
}

describe('OpenAPI document (/docs-json)', () => {
  let t: TestApp;
  let document: Json;
  let schemes: Record<string, Json>;
  let schemas: Record<string, Json>;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN, BOUNCER_API_KEYS: BOUNCER_KEY });
    document = (await request(t.server).get('/docs-json').expect(200)).body as Json;
    const components = document.components as Json;
    schemes = components.securitySchemes as Record<string, Json>;
    schemas = (components.schemas ?? {}) as Record<string, Json>;
  });
  afterAll(() => t.close());

  it('gives every operation a readable, unique operation id', () => {
    const ids = operations(document).map(({ op }) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]{2,40}$/.test(String(id)))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation a worked example: the request line, its parameters, and every body both ways', () => {
    const missing = operations(document).flatMap(({ method, path, op }) => {
      const where = `${method} ${path}`;
      const problems: string[] = [];
      if (!new RegExp(`Examples?: \`(${method}|curl)`).test(typeof op.description === 'string' ? op.description : '')) {
        problems.push(`${where}: no "Example: \`${method} …\`" in the description`);
      }
      for (const parameter of (op.parameters ?? []) as Json[]) {
        if (!('example' in parameter) && missingExamples(parameter.schema as Json, schemas, '').length > 0) {
          problems.push(`${where}: parameter ${String(parameter.name)} has no example`);
        }
      }
      const body = op.requestBody as Json | undefined;
      for (const [type, media] of Object.entries((body?.content ?? {}) as Record<string, Json>)) {
        problems.push(...missingExamples(media, schemas, `${where} request ${type}`));
      }
      const responses = op.responses as Record<string, Json>;
      const success = Object.keys(responses).filter((code) => code.startsWith('2'));
      if (success.length === 0) {
        problems.push(`${where}: no 2xx response`);
      }
      for (const code of success) {
        for (const [type, media] of Object.entries((responses[code].content ?? {}) as Record<string, Json>)) {
          problems.push(...missingExamples(media, schemas, `${where} ${code} ${type}`));
        }
      }
      return problems;
    });
    expect(missing).toEqual([]);
  });

  it('explains every credential where it is used, with no JWT label on plain tokens', () => {
    expect(Object.keys(schemes).sort()).toEqual(
      ['admin-bearer', 'admin-token', 'bouncer-key', 'hec-token', 'ingest-bearer', 'ingest-token'].sort(),
    );
    // Nest's addBearerAuth() labels bearer schemes "JWT"; ours are plain shared secrets.
    expect(Object.values(schemes).filter((scheme) => scheme.bearerFormat !== undefined)).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('"bearerFormat"');
    const variables: Record<string, string> = {
      'ingest-token': 'SOC_INGEST_TOKEN',
      'ingest-bearer': 'SOC_INGEST_TOKEN',
      'admin-token': 'SOC_ADMIN_TOKEN',
      'admin-bearer': 'SOC_ADMIN_TOKEN',
      'bouncer-key': 'BOUNCER_API_KEYS',
      'hec-token': 'Splunk',
    };
    for (const [name, scheme] of Object.entries(schemes)) {
      expect(String(scheme.description)).toContain(variables[name]);
    }
    expect(schemes['hec-token']).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(schemes['bouncer-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
  });

  it('documents exactly the credential the guard enforces, on every operation', async () => {
    const wrong: string[] = [];
    for (const { method, path, op } of operations(document)) {
      const security = op.security as Json[] | undefined;
      const url = path.replace('{ip}', '203.0.113.9').replace('{id}', '00000000-0000-7000-8000-000000000000');
      const res = await request(t.server)[method.toLowerCase() as 'get'](url);
      const refused = [401, 403].includes(res.status);
      if (security === undefined) {
        wrong.push(`${method} ${path}: no security declared (public routes declare security: [])`);
      } else if (refused !== security.length > 0) {
        wrong.push(
          `${method} ${path}: documented ${JSON.stringify(security)}, answered ${res.status} without credentials`,
        );
      }
      for (const requirement of security ?? []) {
        for (const name of Object.keys(requirement)) {
          if (schemes[name] === undefined) {
            wrong.push(`${method} ${path}: unknown scheme ${name}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
