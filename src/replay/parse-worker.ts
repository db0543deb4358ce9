import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cacheFileFor } from './code-cache';
import type { Batch, BatchOptions, FileBatchSource, LineCounts } from './line-batches';
import type { FromParser, ParseJob } from './parse-thread';

/**
 * Run from the compiled sources (node dist/replay/main.js), the replay parses a log on a worker
 * thread from this size on: below it, starting a worker that loads the parsers module by
 * module, without a code cache, costs more than it saves (measured). The bundled replay
 * (cli.ts) always parses on a worker: its worker loads a bundle through the code cache, while
 * the main thread loads the application.
 */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;

export function parsesInWorker(file: string): boolean {
  return statSync(file).size >= WORKER_FROM_BYTES;
}

/**
 * The worker's code: parse-thread's body, from the replay's bundle through the code cache when
 * there is one (node dist/replay/cli.js), else from the compiled sources, else, under ts-node
 * (the tests), from the TypeScript. This file imports only types from the parsers, so that the
 * main thread can start the worker before it has loaded anything else.
 */
function workerCode(compilerFlags: readonly string[]): string {
  const path = (file: string): string => JSON.stringify(join(__dirname, file));
  if (__filename.endsWith('.ts')) {
    const register = JSON.stringify(require.resolve('ts-node/register/transpile-only'));
    return `require(${register}); require(${path('parse-thread.ts')}).runParseThread();`;
  }
  const bundle = join(__dirname, 'parse-thread.bundle.js');
  if (existsSync(bundle)) {
    const cacheFile = JSON.stringify(cacheFileFor(bundle, compilerFlags));
    return [
      `const loaded = require(${path('code-cache.js')}).requireWithCodeCache(${JSON.stringify(bundle)}, ${cacheFile});`,
      'loaded.exports.runParseThread(() => loaded.saveCache());',
    ].join('\n');
  }
  return `require(${path('parse-thread.js')}).runParseThread();`;
}

/**
 * Batches of a log file parsed on a worker thread, so that parsing runs beside the writes
 * instead of between them. Starts at once (it parses while the application boots) and runs at
 * most AHEAD_EVENTS events ahead of what has been taken. `close` stops it early.
 * `compilerFlags` are the V8 flags set for this process (setCompilerFlags): they choose the
 * worker's code cache.
 */
export function batchFileInWorker(
  file: string,
  options: BatchOptions,
  compilerFlags: readonly string[] = [],
): FileBatchSource {
  const job: ParseJob = { file, options };
  const worker = new Worker(workerCode(compilerFlags), { eval: true, workerData: job });
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
