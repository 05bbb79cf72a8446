/**
 * A strict stub HTTP(S) server for contract tests: each route is written from the platform's published
 * documentation, names the method, path, query, headers and body it accepts, and answers as the docs say.
 * Anything else is REJECTED: it is answered 400 and recorded in `violations`, which every test asserts
 * empty, so a request Berth shapes wrongly fails the test instead of passing silently.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  text: string;
  /** The JSON body, or undefined when there is none or it is not JSON. */
  json: unknown;
  params: Record<string, string>;
}

export interface StubAnswer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Lines written one by one (a streamed body), then the end. */
  lines?: string[];
}

export interface Route {
  method: string;
  /** `/apps/:app/releases/:id`; segments compare case-insensitively when `caseInsensitive`. */
  path: string;
  /** Required query parameters and their exact values. */
  query?: Record<string, string>;
  /** Required headers: exact text, or a pattern. Header names lower case. */
  headers?: Record<string, string | RegExp>;
  /** Headers that must NOT be sent (e.g. Authorization to a pre-signed URL). */
  forbidHeaders?: string[];
  /** Checks the body; returns what is wrong with it, or null. */
  body?: (request: StubRequest) => string | null;
  answer: (request: StubRequest) => StubAnswer | Promise<StubAnswer>;
}

export interface StubOptions {
  name: string;
  routes: Route[];
  caseInsensitive?: boolean;
  tls?: { key: string; cert: string };
  /** How a rejected request is answered (the platform's error shape). */
  reject?: (why: string) => StubAnswer;
}

function match(pattern: string, path: string, caseInsensitive: boolean): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = decodeURIComponent(got[i] ?? '');
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (caseInsensitive ? w.toLowerCase() !== g.toLowerCase() : w !== g) return null;
  }
  return params;
}

export class StubServer {
  readonly violations: string[] = [];
  readonly requests: StubRequest[] = [];
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly options: StubOptions) {}

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Requests to a path (exact), for assertions. */
  to(method: string, path: string): StubRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.toLowerCase() === path.toLowerCase());
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? createHttps(this.options.tls, handler) : createHttp(handler);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private reject(res: ServerResponse, why: string): void {
    this.violations.push(why);
    const answer = this.options.reject?.(why) ?? { status: 400, json: { error: why } };
    void this.write(res, answer);
  }

  private async write(res: ServerResponse, answer: StubAnswer): Promise<void> {
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
    if (answer.lines) {
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      for (const line of answer.lines) {
        res.write(`${line}\n`);
        await new Promise((r) => setTimeout(r, 5));
      }
      res.end();
      return;
    }
    if (answer.json !== undefined) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
      return;
    }
    res.writeHead(answer.status);
    res.end(answer.text ?? '');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const method = req.method ?? 'GET';
    const base = { method, path: url.pathname, query: url.searchParams, headers: req.headers, text, json };
    const where = `${this.options.name}: ${method} ${url.pathname}${url.search}`;
    const candidates = this.options.routes
      .map((route) => ({ route, params: match(route.path, url.pathname, this.options.caseInsensitive ?? false) }))
      .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== null);
    const found = candidates.find((c) => c.route.method === method);
    if (!found) {
      this.requests.push({ ...base, params: {} });
      return this.reject(res, `${where} is not an endpoint of the documented API`);
    }
    const request: StubRequest = { ...base, params: found.params };
    this.requests.push(request);
    const { route } = found;
    for (const [name, value] of Object.entries(route.query ?? {})) {
      if (url.searchParams.get(name) !== value) {
        return this.reject(res, `${where}: query ${name} must be ${value}, was ${url.searchParams.get(name)}`);
      }
    }
    for (const [name, want] of Object.entries(route.headers ?? {})) {
      const got = req.headers[name];
      const value = Array.isArray(got) ? got.join(', ') : got;
      const ok = value !== undefined && (typeof want === 'string' ? value === want : want.test(value));
      if (!ok) return this.reject(res, `${where}: header ${name} must be ${String(want)}, was ${value ?? '(none)'}`);
    }
    for (const name of route.forbidHeaders ?? []) {
      if (req.headers[name] !== undefined) return this.reject(res, `${where}: must not send header ${name}`);
    }
    const problem = route.body?.(request) ?? null;
    if (problem) return this.reject(res, `${where}: body ${problem}: ${text.slice(0, 300)}`);
    await this.write(res, await route.answer(request));
  }
}

/** A body check: a JSON object with only `allowed` keys and every `required` one. */
export function objectWith(json: unknown, required: string[], allowed: string[] = required): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'must be a JSON object';
  const keys = Object.keys(json);
  const missing = required.filter((k) => !keys.includes(k));
  if (missing.length > 0) return `lacks ${missing.join(', ')}`;
  const extra = keys.filter((k) => !allowed.includes(k) && !required.includes(k));
  return extra.length > 0 ? `has keys the API does not take: ${extra.join(', ')}` : null;
}
