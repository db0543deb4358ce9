import { ConsoleLogger, LogLevel } from '@nestjs/common';

/**
 * Nest's text logger with UTC ISO 8601 times instead of the local time without a zone, and
 * colours only on a terminal (a log file gets no escape codes).
 */
export class UtcConsoleLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels, colors: process.stdout.isTTY === true && process.env.NO_COLOR === undefined });
  }

  protected override getTimestamp(): string {
    return new Date().toISOString();
  }
}
