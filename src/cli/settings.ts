import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the CLI finds the service and its admin token. */
export interface CliSettings {
  url: string;
  token: string | undefined;
  /** Where the token came from, for messages (never the token itself). */
  source: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** `$SOC_CONFIG`, or `~/.config/soc/config.json`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  return env.SOC_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'soc', 'config.json');
}

/**
 * Settings by precedence: flags, then the environment (SOC_URL, SOC_ADMIN_TOKEN), then the
 * config file (`{"url": "...", "token": "..."}`). A config file that others can read is refused,
 * as ssh refuses a readable private key: the token in it is the service's admin credential.
 */
export function resolveSettings(
  flags: { url?: string; config?: string },
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): CliSettings {
  const path = flags.config ?? configPath(env);
  const file = readConfig(path, flags.config !== undefined, warn);
  const url = flags.url ?? env.SOC_URL ?? file.url ?? DEFAULT_URL;
  if (!/^https?:\/\/[^\s/]+/.test(url)) {
    throw new Error(`the service URL must start with http:// or https:// (got ${JSON.stringify(url.slice(0, 80))})`);
  }
  const fromEnv = env.SOC_ADMIN_TOKEN !== undefined && env.SOC_ADMIN_TOKEN !== '';
  const token = fromEnv ? env.SOC_ADMIN_TOKEN : file.token;
  const source = fromEnv ? 'SOC_ADMIN_TOKEN' : file.token !== undefined ? path : 'nowhere';
  return { url: url.replace(/\/+$/, ''), token, source };
}

function readConfig(
  path: string,
  required: boolean,
  warn: (message: string) => void,
): { url?: string; token?: string } {
  let text: string;
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o077) !== 0) {
      throw new Error(`${path} can be read by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) {
      return {};
    }
    throw error instanceof Error && !('code' in error)
      ? error
      : new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON (expected {"url": "...", "token": "..."})`);
  }
  const object = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const unknown = Object.keys(object).filter((key) => key !== 'url' && key !== 'token');
  if (unknown.length > 0) {
    warn(`${path}: ignoring unknown key(s) ${unknown.join(', ')}`);
  }
  return {
    url: typeof object.url === 'string' ? object.url : undefined,
    token: typeof object.token === 'string' && object.token !== '' ? object.token : undefined,
  };
}
