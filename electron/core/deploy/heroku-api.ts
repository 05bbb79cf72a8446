/**
 * Heroku's Platform API (devcenter: "Platform API Reference"), the few calls a container deploy needs.
 * Every request carries `Accept: application/vnd.heroku+json; version=3` (the formation update the
 * docker-releases variant) and `Authorization: Bearer <API key>`. Refusals keep Heroku's own words
 * (`{"id":"not_found","message":"Couldn't find that app."}` → "Heroku: Couldn't find that app.").
 */
import { BerthError, type HerokuApp } from '../../contract';
import { bodyText, type HttpAnswer, type HttpRequest, sendOk } from './http';

export const HEROKU_ACCEPT = 'application/vnd.heroku+json; version=3';
export const HEROKU_DOCKER_RELEASES_ACCEPT = 'application/vnd.heroku+json; version=3.docker-releases';

export interface HerokuRelease {
  id: string;
  version: number;
  status: 'pending' | 'succeeded' | 'failed' | string;
  description: string;
  outputStreamUrl: string | null;
}

interface RawApp {
  name?: unknown;
  stack?: { name?: unknown } | null;
  build_stack?: { name?: unknown } | null;
  web_url?: unknown;
  region?: { name?: unknown } | null;
}

interface RawRelease {
  id?: unknown;
  version?: unknown;
  status?: unknown;
  description?: unknown;
  output_stream_url?: unknown;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function toApp(raw: RawApp): HerokuApp {
  return {
    name: text(raw.name) ?? '',
    stack: text(raw.stack?.name) ?? '',
    buildStack: text(raw.build_stack?.name) ?? '',
    webUrl: text(raw.web_url),
    region: text(raw.region?.name),
  };
}

function toRelease(raw: RawRelease): HerokuRelease {
  return {
    id: text(raw.id) ?? '',
    version: typeof raw.version === 'number' ? raw.version : 0,
    status: text(raw.status) ?? 'pending',
    description: text(raw.description) ?? '',
    outputStreamUrl: text(raw.output_stream_url),
  };
}

/** Heroku's refusal, in its words, with the fix for its status. `what` says what was asked for. */
export function herokuRefusal(answer: HttpAnswer, what: string): BerthError {
  const body = answer.body as { id?: unknown; message?: unknown } | null;
  const said = typeof body?.message === 'string' ? body.message : bodyText(answer.body) || `HTTP ${answer.status}`;
  const id = typeof body?.id === 'string' ? ` (${body.id})` : '';
  const message = `Heroku refused ${what}: ${said}${id}`;
  switch (answer.status) {
    case 401:
      return new BerthError(
        'AUTH_FAILED',
        message,
        'Give a valid API key: run `heroku auth:token`, or copy it from Account settings → API key.',
      );
    case 403:
      return new BerthError('AUTH_FAILED', message, 'Use an API key of an account that may change this app.');
    case 404:
      return new BerthError('NOT_FOUND', message, 'Check the app name, or create the app first.');
    case 422:
      return new BerthError('DEPLOY_FAILED', message, 'Correct what Heroku names, then deploy again.');
    case 429:
      return new BerthError('DEPLOY_FAILED', message, 'Heroku is rate-limiting this key: wait a minute, then retry.');
    default:
      return new BerthError('DEPLOY_FAILED', message, 'Try again later; check status.heroku.com if it persists.');
  }
}

export class HerokuApi {
  constructor(
    private readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly signal?: AbortSignal,
  ) {}

  private async call(
    method: HttpRequest['method'],
    path: string,
    what: string,
    options: { json?: unknown; accept?: string; range?: string } = {},
  ): Promise<unknown> {
    const answer = await sendOk(
      {
        method,
        url: `${this.apiUrl}${path}`,
        headers: {
          Accept: options.accept ?? HEROKU_ACCEPT,
          Authorization: `Bearer ${this.apiKey}`,
          ...(options.range !== undefined && { Range: options.range }),
        },
        ...(options.json !== undefined && { json: options.json }),
        ...(this.signal && { signal: this.signal }),
      },
      'Heroku',
      (refused) => herokuRefusal(refused, what),
    );
    return answer.body;
  }

  /** The account the key belongs to: proves the key works. */
  async account(): Promise<{ email: string }> {
    const body = (await this.call('GET', '/account', 'the API key')) as { email?: unknown };
    return { email: text(body?.email) ?? '' };
  }

  async apps(): Promise<HerokuApp[]> {
    const body = await this.call('GET', '/apps', 'the app list');
    return Array.isArray(body) ? body.map((raw) => toApp(raw as RawApp)) : [];
  }

  async app(name: string): Promise<HerokuApp> {
    return toApp((await this.call('GET', `/apps/${encodeURIComponent(name)}`, `app "${name}"`)) as RawApp);
  }

  /** Creates the app on the container stack. */
  async createApp(name: string): Promise<HerokuApp> {
    return toApp(
      (await this.call('POST', '/apps', `to create app "${name}"`, { json: { name, stack: 'container' } })) as RawApp,
    );
  }

  /** `PATCH /apps/{app} {"build_stack":"container"}`: what `heroku stack:set container` does. */
  async setContainerStack(name: string): Promise<HerokuApp> {
    return toApp(
      (await this.call('PATCH', `/apps/${encodeURIComponent(name)}`, `to set the container stack of "${name}"`, {
        json: { build_stack: 'container' },
      })) as RawApp,
    );
  }

  /** The newest release, or null for an app without one (Range: newest first, one item). */
  async latestRelease(name: string): Promise<HerokuRelease | null> {
    const body = await this.call('GET', `/apps/${encodeURIComponent(name)}/releases`, `the releases of "${name}"`, {
      range: 'version ..; order=desc, max=1',
    });
    const first = Array.isArray(body) ? (body[0] as RawRelease | undefined) : undefined;
    return first ? toRelease(first) : null;
  }

  async release(name: string, id: string): Promise<HerokuRelease> {
    return toRelease(
      (await this.call(
        'GET',
        `/apps/${encodeURIComponent(name)}/releases/${encodeURIComponent(id)}`,
        `release ${id}`,
      )) as RawRelease,
    );
  }

  /** Releases `imageId` (the pushed image's config digest) as the web process. */
  async releaseImage(name: string, imageId: string): Promise<void> {
    await this.call('PATCH', `/apps/${encodeURIComponent(name)}/formation`, `the release of "${name}"`, {
      accept: HEROKU_DOCKER_RELEASES_ACCEPT,
      json: { updates: [{ type: 'web', docker_image: imageId }] },
    });
  }
}
