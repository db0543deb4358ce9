import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The service's real entry point, run by ts-node as the tests' processes run it. */
const MAIN = join(__dirname, '..', 'src', 'main.ts');

/** A port nothing listens on now (the system's pick), for a process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface EntryPointRun {
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr: () => string;
  /** Its exit code (null after a signal). */
  exit: Promise<number | null>;
  exited: () => boolean;
}

/**
 * src/main.ts as an operator starts it: in `cwd` (a directory of its own, so that no .env of
 * the developer's is read), with only PATH and `env` (never the shell's environment).
 */
export function startEntryPoint(cwd: string, env: Record<string, string>): EntryPointRun {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), MAIN], {
    cwd,
    env: { PATH: process.env.PATH, TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  return { child, stderr: () => stderr, exit, exited: () => exited };
}
