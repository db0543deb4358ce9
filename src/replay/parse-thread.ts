import 'reflect-metadata';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Batch, BatchOptions, batchFile, LineCounts } from './line-batches';

/**
 * Events the parser may have sent and the writer not yet taken. Generous, so that much of a
 * log is parsed while the application boots (on the core the boot leaves idle), and bounded,
 * so that a large log is never held in memory whole.
 */
export const AHEAD_EVENTS = 100_000;

export interface ParseJob {
  file: string;
  options: BatchOptions;
}

/** What the parse thread sends: a batch, or, last, the counts. */
export type FromParser = { batch: Batch } | { done: LineCounts };

/**
 * The parse worker's body (parse-worker.ts starts it): reads the job's file, sends its batches
 * at most AHEAD_EVENTS events ahead of what the main thread has taken, then the counts.
 * A failure ends the worker with an error, which the main thread reports.
 */
export async function runParseThread(): Promise<void> {
  const port = parentPort;
  if (port === null) {
    throw new Error('runParseThread runs on a worker thread');
  }
  const job = workerData as ParseJob;
  if (process.platform === 'linux') {
    // On Linux this lowers this thread's priority only: when the cores are short, the writes
    // (the main thread) go first, and the parser, which runs ahead of them, waits.
    try {
      setPriority(10);
    } catch {
      // Left at the default priority: slower, not wrong.
    }
  }
  let ahead = 0;
  let wake: (() => void) | null = null;
  port.on('message', (taken: number) => {
    ahead -= taken;
    wake?.();
    wake = null;
  });
  const send = async (batch: Batch): Promise<void> => {
    while (ahead >= AHEAD_EVENTS) {
      await new Promise<void>((resolve) => (wake = resolve));
    }
    ahead += batch.events.length;
    port.postMessage({ batch } satisfies FromParser);
  };
  const source = batchFile(job.file, job.options);
  for await (const batch of source.batches) {
    await send(batch);
  }
  port.postMessage({ done: source.counts() } satisfies FromParser);
  port.close();
}
