import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * Boots the real application (fastify, guards, throttler, SQLite with migrations) on a
 * temporary database. Settings come only from `settings`, never from the shell's environment.
 */
export async function startApp(settings: Record<string, string> = {}, databasePath?: string): Promise<TestApp> {
  const database = databasePath === undefined ? tempDatabase() : undefined;
  const path = databasePath ?? (database as { path: string }).path;
  const env = validateEnvironment({
    DATABASE_PATH: path,
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
    },
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
