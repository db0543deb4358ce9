/**
 * The single-event yardstick: a bare NestJS application on Fastify with one route that answers
 * the same POST the service's `POST /ingest-log` does (JSON body in, 202 with a small JSON
 * answer out), and nothing else: no guard, no limiter, no validation, no detection, no write.
 * Run as its own process, like the service, so each has a process of its own in the bench.
 *
 *   PORT=4000 npx ts-node --transpile-only bench/bare-handler.ts
 */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';

@Controller()
class BareController {
  @Post('ingest-log')
  @HttpCode(202)
  accept(@Body() body: Record<string, unknown>): { id: string; fields: number } {
    return { id: randomUUID(), fields: Object.keys(body ?? {}).length };
  }

  /** For the bench to know it listens. */
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.PORT ?? 4000), process.env.HOST ?? '127.0.0.1');
}

void main();
