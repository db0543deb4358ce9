import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../test/entry-point';

/**
 * The built service (`dist/main.js`, as `npm run start:prod` runs it) on a free loopback port,
 * with only these settings (never the shell's environment), once `readyPath` answers 200.
 */
export async function startBuiltService(
  settings: Record<string, string>,
  options: { readyPath?: string; startupSeconds?: number } = {},
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...settings },
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
  throw new Error(`the service did not start within ${seconds} s`);
}
