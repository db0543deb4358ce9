import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Batch, BatchOptions, FileBatchSource, LineCounts } from './line-batches';
import type { FromParser, ParseJob } from './parse-thread';

/**
 * The replay parses a log on a worker thread from this size on: below it, starting a worker
 * that loads the parsers costs more than parsing beside the writes saves (measured).
 */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;

export function parsesInWorker(file: string): boolean {
  return statSync(file).size >= WORKER_FROM_BYTES;
}

/**
 * The worker's code: parse-thread's body, from the compiled sources, or under ts-node (the
 * tests) from the TypeScript. This file imports only types from the parsers, so that the main
 * thread can start the worker before it has loaded anything else.
 */
function workerCode(): string {
  const path = (file: string): string => JSON.stringify(join(__dirname, file));
  if (__filename.endsWith('.ts')) {
    const register = JSON.stringify(require.resolve('ts-node/register/transpile-only'));
    return `require(${register}); require(${path('parse-thread.ts')}).runParseThread();`;
  }
  return `require(${path('parse-thread.js')}).runParseThread();`;
}

/**
 * Batches of a log file parsed on a worker thread, so that parsing runs beside the writes
 * instead of between them. Starts at once (it parses while the application boots) and runs at
 * most AHEAD_EVENTS events ahead of what has been taken. `close` stops it early.
 */
export function batchFileInWorker(file: string, options: BatchOptions): FileBatchSource {
  const job: ParseJob = { file, options };
  const worker = new Worker(workerCode(), { eval: true, workerData: job });
  const queue: Batch[] = [];
  let counts: LineCounts | null = null;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: FromParser) => {
    if ('batch' in message) {
      queue.push(message.batch);
    } else {
      counts = message.done;
    }
    notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', (code) => {
    if (counts === null) {
      failure ??= new Error(`the parser stopped (exit code ${code}) before the end of ${file}`);
    }
    notify();
  });
  async function* batches(): AsyncGenerator<Batch> {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        worker.postMessage(next.events.length);
        yield next;
      } else if (failure !== null) {
        throw failure;
      } else if (counts !== null) {
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  }
  return {
    batches: batches(),
    counts: () => {
      if (counts === null) {
        throw new Error('counts asked for before the parser finished');
      }
      return counts;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
