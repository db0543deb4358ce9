import { createReadStream } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { Batch, BatchOptions, FileBatchSource, LineBatcher, LineCounts } from './line-batches';

/**
 * Events the parser may have sent and the writer not yet taken. Generous, so that much of a
 * log is parsed while the application boots (on the core the boot leaves idle), and bounded,
 * so that a large log is never held in memory whole.
 */
const AHEAD_EVENTS = 100_000;

interface ParseJob {
  file: string;
  options: BatchOptions;
}

type FromParser = { batch: Batch } | { done: LineCounts };

/**
 * Batches of a log file parsed on a worker thread, so that parsing runs beside the writes
 * instead of between them. Starts at once (it parses while the application boots) and runs at
 * most AHEAD_EVENTS events ahead of what has been taken. `close` stops it early.
 */
export function batchFileInWorker(file: string, options: BatchOptions): FileBatchSource {
  const job: ParseJob = { file, options };
  // Under ts-node (the tests) this file is TypeScript, and the worker needs the same loader.
  // Compiled, the worker runs this file as tsc wrote it, beside which the replay's bundle lies
  // (bundle.js, where `__filename` is the bundle's, which the worker must not start whole).
  const worker = __filename.endsWith('.ts')
    ? new Worker(__filename, { workerData: job, execArgv: ['-r', 'ts-node/register/transpile-only'] })
    : new Worker(join(__dirname, 'parse-worker.js'), { workerData: job });
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

async function parseInWorker(port: NonNullable<typeof parentPort>, job: ParseJob): Promise<void> {
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
  const batcher = new LineBatcher(job.options);
  for await (const line of createInterface({ input: createReadStream(job.file), crlfDelay: Infinity })) {
    const closed = batcher.push(line);
    if (closed !== null) {
      await send(closed);
    }
  }
  const last = batcher.finish();
  if (last !== null) {
    await send(last);
  }
  port.postMessage({ done: batcher.counts } satisfies FromParser);
  port.close();
}

if (parentPort !== null && (workerData as Partial<ParseJob> | null)?.file !== undefined) {
  // A failure ends the worker with an error, which the main thread reports.
  void parseInWorker(parentPort, workerData as ParseJob);
}
