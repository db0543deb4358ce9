import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MemoryService } from '../memory/memory.service';
import { StorageHealth } from '../memory/storage-health';

/** At most one probe write in this many milliseconds, whoever asks. */
export const PROBE_INTERVAL_MS = 2000;

/**
 * The terminus indicator `storage`: down while the last write failed for want of storage (disk
 * full, read-only), with the cause, the file system's account and since when. While it is down,
 * a check also tries a write of 1 MiB (at most one every PROBE_INTERVAL_MS, the first that long
 * after the failure): a service taken out of rotation because it was not ready gets no traffic,
 * so without a probe it would never learn that space came back.
 */
@Injectable()
export class StorageReadiness {
  private readonly logger = new Logger(StorageReadiness.name);
  private probing: Promise<void> | null = null;
  private lastProbe = 0;

  constructor(
    private readonly memory: MemoryService,
    private readonly storage: StorageHealth,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async isWritable() {
    const session = this.indicator.check('storage');
    if (this.storage.fault !== null) {
      await this.probe();
    }
    const fault = this.storage.fault;
    return fault === null
      ? session.up()
      : session.down({
          cause: fault.cause,
          reason: fault.detail ?? `the last write failed with ${fault.cause}`,
          since: fault.since.toISOString(),
        });
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
