import { DynamicModule, LoggerService, LogLevel } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { Environment, LOG_LEVELS } from '../../config/environment';
import { pinoHttpOptions } from './log-options';
import { UtcConsoleLogger } from './utc-console-logger';

export function logLevels(level: Environment['LOG_LEVEL']): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** With LOG_FORMAT=json: pino (request logs with ids, and every Nest Logger call) on stdout. */
export function jsonLoggingModule(env: Environment): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(env.LOG_LEVEL) });
}

/**
 * The logger Nest starts with: text with UTC times, or (json) nothing until `useAppLogger`
 * hands the buffered lines to pino.
 */
export function bootLogger(env: Environment): { logger?: LoggerService; bufferLogs: boolean } {
  return env.LOG_FORMAT === 'json'
    ? { bufferLogs: true }
    : { logger: new UtcConsoleLogger(logLevels(env.LOG_LEVEL)), bufferLogs: false };
}

/** With LOG_FORMAT=json, Nest's Logger (every `new Logger(X.name)`) writes through pino from now on. */
export function useAppLogger(app: NestFastifyApplication, env: Environment): void {
  if (env.LOG_FORMAT === 'json') {
    app.useLogger(app.get(PinoNestLogger));
    app.flushLogs();
  }
}
