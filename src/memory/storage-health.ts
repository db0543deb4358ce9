import { Injectable, Logger } from '@nestjs/common';
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageCause } from '../common/storage-fault';

export interface StorageFault {
  cause: StorageCause;
  /** What the file system says, e.g. `ENOSPC: 0 B free of 2.0 MiB on the database's file system`; null when it says nothing more. */
  detail: string | null;
  since: Date;
}

/** Free space under which a failed write is put down to a full disk. */
export const LOW_SPACE_BYTES = 4 * 1048576;

function mebibytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/**
 * What the operating system says about the directory of the database, for the log and for
 * health (which is public: the text names no path): read-only (EROFS) or out of space (ENOSPC). SQLite's own code does not say which
 * (a full disk can come back as SQLITE_IOERR on sync, a read-only remount as SQLITE_IOERR too).
 */
export async function diagnoseDirectory(
  file: string | null,
): Promise<{ code: 'ENOSPC' | 'EROFS'; text: string } | null> {
  if (file === null) {
    return null;
  }
  const dir = dirname(file);
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EROFS') {
      return { code: 'EROFS', text: "EROFS: the database's file system is read-only" };
    }
  }
  try {
    const stats = await statfs(dir);
    const free = stats.bavail * stats.bsize;
    // Below this, a flush of a busy ingest (or the write-ahead log's growth) does not fit.
    if (free < LOW_SPACE_BYTES) {
      return {
        code: 'ENOSPC',
        text: `ENOSPC: ${free} B free of ${mebibytes(stats.blocks * stats.bsize)} on the database's file system`,
      };
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Whether the store takes writes. A write that fails for want of space or because the store is
 * read-only marks it unavailable (health: not ready); the next write that commits marks it
 * available again, so it recovers without a restart when space returns.
 */
@Injectable()
export class StorageHealth {
  private readonly logger = new Logger(StorageHealth.name);
  private current: StorageFault | null = null;

  get fault(): StorageFault | null {
    return this.current;
  }

  failed(cause: StorageCause, detail: string | null, now: Date): void {
    if (this.current === null) {
      this.current = { cause, detail, since: now };
    } else {
      this.current = { ...this.current, cause, detail };
    }
  }

  committed(now: Date): void {
    if (this.current !== null) {
      const seconds = Math.round((now.getTime() - this.current.since.getTime()) / 1000);
      this.logger.log(`storage writable again after ${seconds}s (${this.current.cause}): writes resume`);
      this.current = null;
    }
  }
}
