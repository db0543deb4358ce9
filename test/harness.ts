import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { validateEnvironment } from '../src/config/environment';

export const INGEST_TOKEN = 'test-ingest-token-0123456789';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  /** The node http.Server supertest talks to. */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  databasePath: string;
  close(): Promise<void>;
}

/** A fresh temporary directory for one suite's SQLite file. */
export function tempDatabase(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'soc-e2e-'));
  return { path: join(dir, 'soc.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The e2e-postgres project (jest.config.js) runs the same suites on PostgreSQL: each app gets
 * a database of its own, made through DATABASE_URL (an admin URL) and dropped on close.
 */
export const onPostgres = process.env.SOC_E2E_STORE === 'postgres';

/** A new, empty PostgreSQL database beside DATABASE_URL's, and how to drop it. */
export async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.DATABASE_URL;
  if (admin === undefined) {
    throw new Error('DATABASE_URL (an admin URL) is needed for PostgreSQL tests');
  }
  const name = `${process.env.SOC_E2E_DB_PREFIX ?? 'soc_e2e_'}${randomBytes(6).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Boots the real application (fastify, guards, throttler, the store with its migrations) on a
 * temporary database: a SQLite file, or on PostgreSQL (see onPostgres) a database of its own
 * unless `settings` names one (DATABASE_URL: several apps on one database). Settings come only
 * from `settings`, never from the shell's environment.
 */
export async function startApp(settings: Record<string, string> = {}, databasePath?: string): Promise<TestApp> {
  const shared = onPostgres && databasePath === undefined && settings.DATABASE_URL === undefined;
  const server = shared ? await postgresDatabase() : undefined;
  const database = databasePath === undefined && !onPostgres ? tempDatabase() : undefined;
  const path = databasePath ?? database?.path ?? '';
  const store = onPostgres && databasePath === undefined ? { DATABASE_TYPE: 'postgres' } : {};
  try {
    const env = validateEnvironment({
      DATABASE_PATH: path === '' ? './unused.sqlite' : path,
      ...store,
      ...(server === undefined ? {} : { DATABASE_URL: server.url }),
      LOG_LEVEL: 'error',
      INGEST_RATE_LIMIT: '100000',
      AUTH_FAILURE_LIMIT: '100000',
      ...settings,
    });
    const app = await createApp(env, { logger: false });
    return {
      app,
      server: app.getHttpServer(),
      databasePath: path,
      close: async () => {
        await app.close();
        database?.remove();
        await server?.drop();
      },
    };
  } catch (error) {
    database?.remove();
    await server?.drop();
    throw error;
  }
}

/**
 * A store that outlives the apps started on it (a restart): a SQLite file, or on PostgreSQL
 * (see onPostgres) a database of its own. `remove` after the last app closed.
 */
export async function lastingStore(): Promise<{
  start(settings?: Record<string, string>): Promise<TestApp>;
  remove(): Promise<void>;
}> {
  if (onPostgres) {
    const database = await postgresDatabase();
    return {
      start: (settings = {}) => startApp({ DATABASE_TYPE: 'postgres', DATABASE_URL: database.url, ...settings }),
      remove: () => database.drop(),
    };
  }
  const database = tempDatabase();
  return {
    start: (settings = {}) => startApp(settings, database.path),
    remove: () => Promise.resolve(database.remove()),
  };
}

/** `count` sshd failures from `ip`, one per `everySeconds`, starting at `start`. */
export function sshFailures(ip: string, count: number, start = Date.parse('2026-11-24T10:00:00Z'), everySeconds = 20) {
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(start + i * everySeconds * 1000).toISOString(),
    host: 'bastion-1',
    message: `Failed password for invalid user admin${i} from ${ip} port ${40000 + i} ssh2`,
  }));
}

/** Polls `check` every 50 ms until it passes or `ms` elapse (then fails with its last error). */
export async function eventually(check: () => Promise<void> | void, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** For supertest's `.serialize()`: send a Buffer body as is (its typings expect a string). */
export const passBuffer = (body: Buffer): string => body as unknown as string;
