import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for the Anthropic Messages API on 127.0.0.1 (a random port), for the real SDK to
 * talk to through ANTHROPIC_BASE_URL. Each test scripts what the next calls answer; every
 * request is captured (headers and body) for the test to inspect. Nothing leaves the machine.
 */

export interface VerdictAnswer {
  level: string;
  score: number;
  categories: string[];
  techniques: string[];
  confidence: number;
  rationale: string;
}

export type Reply =
  /** A well-formed record_verdict call (by default "benign"). */
  | { kind: 'verdict'; input?: Partial<VerdictAnswer> | Record<string, unknown>; delayMs?: number }
  /** An API error: 429 (with retry-after), 500, 529… */
  | { kind: 'status'; status: number; retryAfter?: string; shouldRetry?: 'true' | 'false' }
  /** No answer before `delayMs` (past the client's timeout). */
  | { kind: 'slow'; delayMs: number }
  /** A 200 that is no usable verdict. */
  | { kind: 'malformed'; variant: 'bad_input' | 'extra_keys' | 'truncated' | 'no_tool' | 'two_tools' | 'not_json' };

export const BENIGN: VerdictAnswer = {
  level: 'none',
  score: 0,
  categories: ['benign'],
  techniques: [],
  confidence: 0.99,
  rationale: 'The actor looks entirely benign.',
};

export interface CapturedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown> | null;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export class FakeAnthropic {
  readonly requests: CapturedRequest[] = [];
  private readonly queue: Reply[] = [];
  private fallback: Reply | ((body: Record<string, unknown> | null) => Reply) = { kind: 'verdict' };
  private readonly timers = new Set<NodeJS.Timeout>();
  private served = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeAnthropic> {
    const handlers: FakeAnthropic[] = [];
    const server = createServer((req, res) => void handlers[0]?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    handlers.push(new FakeAnthropic(server, `http://127.0.0.1:${port}`));
    return handlers[0];
  }

  /** The next calls answer these, in order; then the default. */
  script(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** What every call answers once the script is used up. */
  otherwise(reply: Reply | ((body: Record<string, unknown> | null) => Reply)): this {
    this.fallback = reply;
    return this;
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallback = { kind: 'verdict' };
  }

  async close(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = null;
    }
    this.requests.push({
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      raw,
      body,
    });
    if (req.method !== 'POST' || !(req.url ?? '').startsWith('/v1/messages')) {
      return this.json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'not found' } });
    }
    const next = this.queue.shift() ?? (typeof this.fallback === 'function' ? this.fallback(body) : this.fallback);
    this.answer(next, body, res);
  }

  private answer(reply: Reply, body: Record<string, unknown> | null, res: ServerResponse): void {
    switch (reply.kind) {
      case 'verdict':
        return this.later(reply.delayMs ?? 0, res, () =>
          this.json(res, 200, this.message(body, [this.toolUse({ ...BENIGN, ...reply.input })])),
        );
      case 'status': {
        const headers: Record<string, string> = {};
        if (reply.retryAfter !== undefined) {
          headers['retry-after'] = reply.retryAfter;
        }
        if (reply.shouldRetry !== undefined) {
          headers['x-should-retry'] = reply.shouldRetry;
        }
        const type = ERROR_TYPES[reply.status] ?? 'api_error';
        return this.json(res, reply.status, { type: 'error', error: { type, message: `fake ${type}` } }, headers);
      }
      case 'slow':
        return this.later(reply.delayMs, res, () => this.json(res, 200, this.message(body, [this.toolUse(BENIGN)])));
      case 'malformed':
        return this.malformed(reply.variant, body, res);
    }
  }

  private malformed(
    variant: Extract<Reply, { kind: 'malformed' }>['variant'],
    body: unknown,
    res: ServerResponse,
  ): void {
    const b = body as Record<string, unknown> | null;
    switch (variant) {
      case 'bad_input':
        return this.json(
          res,
          200,
          this.message(b, [this.toolUse({ ...BENIGN, score: 'high', techniques: ['X1'], level: 'whatever' })]),
        );
      case 'extra_keys':
        return this.json(res, 200, this.message(b, [this.toolUse({ ...BENIGN, unblock: true })]));
      case 'truncated':
        return this.json(res, 200, {
          ...this.message(b, [this.toolUse({ level: 'none' })]),
          stop_reason: 'max_tokens',
        });
      case 'no_tool':
        return this.json(res, 200, {
          ...this.message(b, [{ type: 'text', text: 'This actor is benign.' }]),
          stop_reason: 'end_turn',
        });
      case 'two_tools':
        return this.json(res, 200, this.message(b, [this.toolUse(BENIGN), this.toolUse(BENIGN)]));
      case 'not_json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "msg_broken", "content": [');
        return;
    }
  }

  private later(delayMs: number, res: ServerResponse, send: () => void): void {
    if (delayMs <= 0) {
      return send();
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!res.destroyed) {
        send();
      }
    }, delayMs);
    this.timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  private toolUse(input: Record<string, unknown> | VerdictAnswer): Record<string, unknown> {
    return { type: 'tool_use', id: `toolu_fake_${++this.served}`, name: 'record_verdict', input };
  }

  private message(body: Record<string, unknown> | null, content: unknown[]): Record<string, unknown> {
    return {
      id: `msg_fake_${++this.served}`,
      type: 'message',
      role: 'assistant',
      model: typeof body?.model === 'string' ? body.model : 'unknown',
      content,
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    };
  }

  private json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${this.served}`, ...headers });
    res.end(JSON.stringify(payload));
  }
}

/** The triage data block of a captured request, parsed: what the model was shown. */
export function dataBlockOf(request: CapturedRequest): { features: { actor: string }; summary: string } | null {
  const messages = request.body?.messages as Array<{ content: unknown }> | undefined;
  const content = messages?.[0]?.content;
  if (typeof content !== 'string') {
    return null;
  }
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  try {
    return JSON.parse(content.slice(start, end + 1)) as { features: { actor: string }; summary: string };
  } catch {
    return null;
  }
}
