import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../test/entry-point';

/**
 * `argv` run by this Node on a free loopback port (`PORT`, `HOST`), with only `env` (never the
 * shell's environment), once `readyPath` answers 200.
 */
export async function startOnFreePort(
  argv: string[],
  env: Record<string, string>,
  options: { readyPath?: string; startupSeconds?: number } = {},
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const seconds = options.startupSeconds ?? 20;
  for (let attempt = 0; attempt < seconds * 10; attempt += 1) {
    try {
      if ((await fetch(`${url}${options.readyPath ?? '/health'}`)).ok) {
        return { url, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${argv.join(' ')} did not start within ${seconds} s`);
}

/**
 * The built service (`dist/main.js`, as `npm run start:prod` runs it) on a free loopback port,
 * with only these settings (never the shell's environment), once `readyPath` answers 200.
 */
export function startBuiltService(
  settings: Record<string, string>,
  options: { readyPath?: string; startupSeconds?: number } = {},
): Promise<{ url: string; child: ChildProcess }> {
  return startOnFreePort(['dist/main.js'], { LOG_LEVEL: 'warn', ...settings }, options);
}
