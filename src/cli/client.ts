import { CliSettings } from './settings';

/** A refusal or a failure the CLI reports in one line and a non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The admin API over fetch: the token goes in a header, never in a URL or a message. */
export class AdminClient {
  constructor(private readonly settings: CliSettings) {}

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.settings.token !== undefined) {
      headers.authorization = `Bearer ${this.settings.token}`;
    }
    if (body !== undefined) {
      headers['content-type'] = contentType;
    }
    let response: Response;
    try {
      response = await fetch(`${this.settings.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    } catch (error) {
      // undici's "fetch failed" carries the socket's error (or several, one per address) as its cause.
      const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
      const code = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(`cannot reach ${this.settings.url} (${code})`, 2);
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      throw new CliError(refusal(response.status, parsed, text, this.settings), response.status === 401 ? 3 : 1);
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function refusal(status: number, parsed: unknown, text: string, settings: CliSettings): string {
  const message =
    typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : text.slice(0, 200);
  if (status === 401) {
    return settings.token === undefined
      ? `the service wants the admin token: set SOC_ADMIN_TOKEN or put it in the config file (${message})`
      : `the admin token from ${settings.source} was refused (${message})`;
  }
  return `${status}: ${message}`;
}
