import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MemoryService } from '../memory/memory.service';
import { StorageHealth } from '../memory/storage-health';

/** What `/health` and `/health/ready` answer. */
export interface Readiness {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  storage: 'writable' | 'unavailable';
  /** SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, ENOSPC or EROFS while storage is unavailable. */
  cause?: string;
  reason?: string;
  since?: string;
}

/** At most one probe write in this many milliseconds, whoever asks. */
export const PROBE_INTERVAL_MS = 2000;

/**
 * Readiness from the database's answer and the store's health. While storage is unavailable, a
 * readiness check also tries a write of 1 MiB (at most one every PROBE_INTERVAL_MS, the first
 * that long after the failure): a service
 * taken out of rotation because it was not ready gets no traffic, so without a probe it would
 * never learn that space came back.
 */
@Injectable()
export class StorageReadiness {
  private readonly logger = new Logger(StorageReadiness.name);
  private probing: Promise<void> | null = null;
  private lastProbe = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly memory: MemoryService,
    private readonly storage: StorageHealth,
  ) {}

  async check(): Promise<Readiness> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      return { status: 'unavailable', database: 'down', storage: 'unavailable' };
    }
    if (this.storage.fault !== null) {
      await this.probe();
    }
    const fault = this.storage.fault;
    return fault === null
      ? { status: 'ok', database: 'up', storage: 'writable' }
      : {
          status: 'unavailable',
          database: 'up',
          storage: 'unavailable',
          cause: fault.cause,
          reason: fault.detail ?? `the last write failed with ${fault.cause}`,
          since: fault.since.toISOString(),
        };
  }

  private probe(): Promise<void> {
    const since = Math.max(this.lastProbe, this.storage.fault?.since.getTime() ?? 0);
    if (this.probing === null && Date.now() - since >= PROBE_INTERVAL_MS) {
      this.lastProbe = Date.now();
      this.probing = this.memory
        .probeStorage()
        .catch((error: unknown) => this.logger.debug(`storage probe failed: ${(error as Error).message}`))
        .finally(() => {
          this.probing = null;
        });
    }
    return this.probing ?? Promise.resolve();
  }
}
