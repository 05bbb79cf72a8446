/**
 * The one way the deploys talk HTTP: fetch with a deadline, never following redirects (a redirect could
 * carry the Authorization header to another host), reading JSON answers, and turning a refusal into a
 * BerthError through the platform's own wording. Secrets travel only in request headers and are never
 * copied into errors.
 */
import { BerthError } from '../../contract';

/** How long one API request may take before Berth gives up on it. */
export const API_REQUEST_DEADLINE_MS = 60_000;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent as is, with the Content-Type the caller sets in headers. */
  text?: string;
  signal?: AbortSignal;
}

/** Which service answered, for messages ("Heroku", "Azure Resource Manager"). */
export type Refusal = (answer: HttpAnswer) => BerthError;

export async function send(request: HttpRequest, service: string): Promise<HttpAnswer> {
  const headers = { ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.text !== undefined) {
    body = request.text;
  }
  const deadline = AbortSignal.timeout(API_REQUEST_DEADLINE_MS);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(body !== undefined && { body }),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw new BerthError('CANCELLED', `The request to ${service} was cancelled.`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = deadline.aborted
      ? `no answer within ${API_REQUEST_DEADLINE_MS / 1000} s`
      : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new BerthError(
      'DEPLOY_FAILED',
      `${service} at ${new URL(request.url).host} could not be reached (${why}).`,
      'Check the network connection (and any BERTH_* endpoint override), then try again.',
    );
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (response.status >= 300 && response.status < 400) {
    throw new BerthError(
      'DEPLOY_FAILED',
      `${service} answered ${response.status} with a redirect, which Berth does not follow (it would carry your credentials).`,
      'Check the endpoint (BERTH_* overrides) points straight at the API.',
    );
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** `send`, then the refusal's error for any answer outside 2xx. */
export async function sendOk(request: HttpRequest, service: string, refuse: Refusal): Promise<HttpAnswer> {
  const answer = await send(request, service);
  if (answer.status < 200 || answer.status >= 300) throw refuse(answer);
  return answer;
}

/** Text of a message field, or a short slice of the body, for errors worded by the platform. */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 500);
  if (body === null || body === undefined) return '';
  return JSON.stringify(body).slice(0, 500);
}
