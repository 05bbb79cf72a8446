/** Test clients for web mode on 127.0.0.1: one HTTP request, or exact bytes over a raw socket. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request with a fresh connection; Host defaults to Berth's own address. */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: false,
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface RawExchange {
  /** Everything the server wrote before it closed the connection (or the deadline passed). */
  response: string;
  /** True when the server closed the connection. */
  closed: boolean;
}

/** Writes exact bytes, then collects the answer until the server closes or `deadlineMs` passes. */
export function rawExchange(port: number, bytes: string, deadlineMs: number): Promise<RawExchange> {
  return new Promise((resolve) => {
    let response = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed: false });
    }, deadlineMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      response += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closed: true });
    });
  });
}

/** The status line's code and the JSON body of a raw HTTP/1.1 answer. */
export function parseRawReply(response: string): { status: number; body: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
  const text = response.slice(response.indexOf('\r\n\r\n') + 4);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status, body };
}

/** Opens a socket and resolves once it is connected; the caller owns it. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the socket is closed (by either side). */
export const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
