import { PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import request from 'supertest';
import { RequiresCredential } from '../src/common/auth/credential.decorator';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

const EVENT = { source_ip: '192.0.2.10', event_type: 'http_request' };

describe('credentials: tokens set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  it.each([
    { name: 'no token', headers: {}, status: 401 },
    { name: 'a wrong bearer token', headers: { Authorization: 'Bearer wrong-token-0123456789' }, status: 401 },
    { name: 'a wrong X-SOC-Token', headers: { 'X-SOC-Token': 'wrong' }, status: 401 },
    { name: 'the admin token on an ingest route', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, status: 401 },
    { name: 'the right bearer token', headers: { Authorization: `Bearer ${INGEST_TOKEN}` }, status: 202 },
    { name: 'the right X-SOC-Token', headers: { 'X-SOC-Token': INGEST_TOKEN }, status: 202 },
  ])('POST /ingest-log with $name → $status', async ({ headers, status }) => {
    const res = await request(t.server).post('/ingest-log').set(headers).send(EVENT).expect(status);
    expect(JSON.stringify(res.body)).not.toContain(INGEST_TOKEN);
  });

  it.each([
    { name: 'no token', headers: {}, status: 401 },
    { name: 'a wrong token', headers: { 'X-SOC-Token': 'wrong' }, status: 401 },
    { name: 'the right token', headers: { 'X-SOC-Token': INGEST_TOKEN }, status: 202 },
  ])('POST /ingest-log/batch with $name → $status', async ({ headers, status }) => {
    await request(t.server).post('/ingest-log/batch').set(headers).send([EVENT]).expect(status);
  });

  it('checks the token before reading the body (no 400 leaks to the unauthenticated)', async () => {
    await request(t.server).post('/ingest-log').send({ source_ip: '999.1.1.1' }).expect(401);
  });

  it.each([
    { path: '/decisions', headers: {}, status: 401 },
    { path: '/decisions', headers: { Authorization: `Bearer ${INGEST_TOKEN}` }, status: 401 },
    { path: '/decisions', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, status: 200 },
    { path: '/decisions', headers: { 'X-SOC-Admin-Token': ADMIN_TOKEN }, status: 200 },
    { path: '/actors/192.0.2.10', headers: {}, status: 401 },
    { path: '/actors/192.0.2.10', headers: { 'X-SOC-Admin-Token': ADMIN_TOKEN }, status: 200 },
    { path: '/health', headers: {}, status: 200 },
    { path: '/docs-json', headers: {}, status: 200 },
  ])('GET $path with $headers → $status', async ({ path, headers, status }) => {
    await request(t.server).get(path).set(headers).expect(status);
  });

  it('declares a credential on every route (deny by default)', () => {
    const scanner = new MetadataScanner();
    const reflector = new Reflector();
    const controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
    const undeclared: string[] = [];
    let routes = 0;
    for (const wrapper of controllers) {
      const instance = wrapper.instance;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, () => unknown>)[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) {
          continue;
        }
        routes += 1;
        if (reflector.getAllAndOverride(RequiresCredential, [handler, instance.constructor]) === undefined) {
          undeclared.push(`${instance.constructor.name}.${name}`);
        }
      }
    }
    expect(routes).toBeGreaterThanOrEqual(5);
    expect(undeclared).toEqual([]);
  });
});

describe('credentials: tokens unset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('leaves the routes open (the start-up warns about it)', async () => {
    await request(t.server).post('/ingest-log').send(EVENT).expect(202);
    await request(t.server).get('/decisions').expect(200);
  });
});
