/**
 * Heroku's Platform API as its reference documents it (devcenter.heroku.com/articles/platform-api-reference
 * and "Container Registry & Runtime (Docker Deploys)"), for contract tests:
 * - every call needs `Accept: application/vnd.heroku+json; version=3` and `Authorization: Bearer <key>`;
 *   bodies need `Content-Type: application/json`; errors are `{"id": ..., "message": ...}`;
 * - the formation update needs the `version=3.docker-releases` Accept variant and
 *   `{"updates":[{"type":"web","docker_image":"sha256:..."}]}`; the stub checks that image id against the
 *   REAL registry standing in for registry.heroku.com: it must be the config digest of <app>/web:latest;
 * - a release starts pending, with an output_stream_url (pre-signed: no Authorization may be sent to it),
 *   and ends succeeded or failed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startTestRegistry, type TestRegistry } from '../registry-harness';
import { objectWith, type StubAnswer, type StubRequest, StubServer } from './stub-server';

export const HEROKU_V3 = 'application/vnd.heroku+json; version=3';
export const HEROKU_DOCKER_RELEASES = 'application/vnd.heroku+json; version=3.docker-releases';

interface StubApp {
  id: string;
  name: string;
  stack: string;
  buildStack: string;
  releases: StubRelease[];
}
interface StubRelease {
  id: string;
  version: number;
  status: 'pending' | 'succeeded' | 'failed';
  polls: number;
  image: string;
}

export interface HerokuStubOptions {
  apiKey: string;
  /** The real registry standing in for registry.heroku.com. */
  registry?: { address: string; username: string; password: string };
  /** How the next releases end. */
  releaseOutcome?: 'succeeded' | 'failed';
  /** Apps that exist before the test (on the heroku-24 stack unless said otherwise). */
  apps?: { name: string; stack?: string }[];
  /** Names another account holds: creating them answers 422. */
  taken?: string[];
}

const error = (status: number, id: string, message: string): StubAnswer => ({ status, json: { id, message } });

export class HerokuStub {
  readonly server: StubServer;
  readonly apps = new Map<string, StubApp>();
  releaseOutcome: 'succeeded' | 'failed';

  constructor(private readonly options: HerokuStubOptions) {
    this.releaseOutcome = options.releaseOutcome ?? 'succeeded';
    for (const app of options.apps ?? []) this.addApp(app.name, app.stack ?? 'heroku-24');
    const json = /^application\/json/;
    const authed =
      (answer: (r: StubRequest) => StubAnswer | Promise<StubAnswer>) =>
      (r: StubRequest): StubAnswer | Promise<StubAnswer> =>
        r.headers.authorization === `Bearer ${options.apiKey}`
          ? answer(r)
          : error(401, 'unauthorized', 'Invalid credentials provided.');
    const withApp = (answer: (r: StubRequest, app: StubApp) => StubAnswer | Promise<StubAnswer>) =>
      authed((r) => {
        const app = this.apps.get(r.params.app ?? '');
        return app ? answer(r, app) : error(404, 'not_found', "Couldn't find that app.");
      });
    // Authorization is checked by the route itself (401 is an answer, not a violation); only its form here.
    const headers = { accept: HEROKU_V3, authorization: /^Bearer \S+$/ };
    this.server = new StubServer({
      name: 'heroku-stub',
      reject: (why) => error(400, 'bad_request', `stub: ${why}`),
      routes: [
        {
          method: 'GET',
          path: '/account',
          headers,
          answer: authed(() => ({ status: 200, json: { email: 'dev@example.com', id: randomUUID() } })),
        },
        {
          method: 'GET',
          path: '/apps',
          headers,
          answer: authed(() => ({ status: 200, json: [...this.apps.values()].map((a) => this.appJson(a)) })),
        },
        {
          method: 'GET',
          path: '/apps/:app',
          headers,
          answer: withApp((_r, app) => ({ status: 200, json: this.appJson(app) })),
        },
        {
          method: 'POST',
          path: '/apps',
          headers: { ...headers, 'content-type': json },
          body: (r) => objectWith(r.json, [], ['name', 'region', 'stack', 'feature_flags', 'space']),
          answer: authed((r) => {
            const { name, stack } = r.json as { name?: string; stack?: string };
            if (!name || options.taken?.includes(name) || this.apps.has(name)) {
              return error(422, 'invalid_params', 'Name is already taken');
            }
            return { status: 201, json: this.appJson(this.addApp(name, stack ?? 'heroku-24')) };
          }),
        },
        {
          method: 'PATCH',
          path: '/apps/:app',
          headers: { ...headers, 'content-type': json },
          body: (r) => objectWith(r.json, [], ['build_stack', 'maintenance', 'name']),
          answer: withApp((r, app) => {
            const { build_stack } = r.json as { build_stack?: string };
            if (build_stack) app.buildStack = build_stack;
            return { status: 200, json: this.appJson(app) };
          }),
        },
        {
          method: 'GET',
          path: '/apps/:app/releases',
          headers,
          answer: withApp((r, app) => {
            const range = String(r.headers.range ?? 'id ..');
            const m = /^(id|version) \.\.(?:; ?(.*))?$/.exec(range);
            if (!m) return error(400, 'bad_request', `Invalid Range header: ${range}`);
            const params = Object.fromEntries(
              (m[2] ?? '')
                .split(/,\s*/)
                .filter(Boolean)
                .map((p) => p.split('=')),
            );
            const list = [...app.releases].sort((a, b) =>
              params.order === 'desc' ? b.version - a.version : a.version - b.version,
            );
            const max = Number(params.max ?? 200);
            return {
              status: list.length > max ? 206 : 200,
              json: list.slice(0, max).map((rel) => this.releaseJson(app, rel)),
            };
          }),
        },
        {
          method: 'GET',
          path: '/apps/:app/releases/:id',
          headers,
          answer: withApp((r, app) => {
            const rel = app.releases.find((x) => x.id === r.params.id || String(x.version) === r.params.id);
            if (!rel) return error(404, 'not_found', "Couldn't find that release.");
            // A release stays pending for two looks, then ends as configured.
            rel.polls++;
            if (rel.status === 'pending' && rel.polls > 2) rel.status = this.releaseOutcome;
            // As on Heroku, a build stack set by PATCH becomes the app's stack with the next release that succeeds.
            if (rel.status === 'succeeded') app.stack = app.buildStack;
            return { status: 200, json: this.releaseJson(app, rel) };
          }),
        },
        {
          method: 'PATCH',
          path: '/apps/:app/formation',
          headers: { ...headers, accept: HEROKU_DOCKER_RELEASES, 'content-type': json },
          body: (r) => {
            const shape = objectWith(r.json, ['updates']);
            if (shape) return shape;
            const updates = (r.json as { updates: unknown }).updates;
            if (!Array.isArray(updates) || updates.length === 0) return 'updates must be a non-empty list';
            for (const u of updates) {
              const problem = objectWith(u, ['type', 'docker_image'], ['type', 'docker_image', 'quantity', 'size']);
              if (problem) return `an update ${problem}`;
              if (!/^sha256:[a-f0-9]{64}$/.test(String((u as { docker_image: unknown }).docker_image))) {
                return 'docker_image must be sha256:<64 hex>';
              }
            }
            return null;
          },
          answer: withApp(async (r, app) => {
            const { updates } = r.json as { updates: { type: string; docker_image: string }[] };
            const web = updates.find((u) => u.type === 'web');
            if (!web) return error(422, 'invalid_params', 'No web process in updates');
            const expected = await this.registryConfigDigest(app.name);
            if (expected !== null && web.docker_image !== expected) {
              this.server.violations.push(
                `formation docker_image ${web.docker_image} is not the config digest ${expected} of ${app.name}/web:latest`,
              );
              return error(
                422,
                'invalid_params',
                `Could not find image ${web.docker_image} in registry.heroku.com/${app.name}/web`,
              );
            }
            const version = (app.releases.at(-1)?.version ?? 0) + 1;
            app.releases.push({ id: randomUUID(), version, status: 'pending', polls: 0, image: web.docker_image });
            return {
              status: 200,
              json: [{ type: 'web', quantity: 1, size: 'basic', docker_image: { id: web.docker_image } }],
            };
          }),
        },
        {
          method: 'GET',
          path: '/streams/:id',
          forbidHeaders: ['authorization'],
          answer: (r) => {
            const rel = [...this.apps.values()].flatMap((a) => a.releases).find((x) => x.id === r.params.id);
            if (!rel) return { status: 404, text: 'not found' };
            const failed = this.releaseOutcome === 'failed';
            return {
              status: 200,
              lines: [
                `Running release command for image ${rel.image.slice(0, 19)}`,
                failed ? 'Error: release command exited with status 1' : 'Release command finished',
                failed ? 'Release failed' : 'Release succeeded',
              ],
            };
          },
        },
      ],
    });
  }

  addApp(name: string, stack: string): StubApp {
    const app = { id: randomUUID(), name, stack, buildStack: stack, releases: [] };
    this.apps.set(name, app);
    return app;
  }

  private appJson(app: StubApp) {
    return {
      id: app.id,
      name: app.name,
      stack: { id: randomUUID(), name: app.stack },
      build_stack: { id: randomUUID(), name: app.buildStack },
      web_url: `https://${app.name}-0123456789ab.herokuapp.com/`,
      region: { id: randomUUID(), name: 'us' },
    };
  }

  private releaseJson(app: StubApp, rel: StubRelease) {
    return {
      id: rel.id,
      version: rel.version,
      status: rel.status,
      current: rel.status === 'succeeded',
      description: rel.status === 'failed' ? 'Release command failed' : `Deployed web (${rel.image.slice(7, 19)})`,
      output_stream_url: `${this.server.url}/streams/${rel.id}`,
      app: { id: app.id, name: app.name },
    };
  }

  /** The config digest of <app>/web:latest in the real registry, or null when no registry is wired. */
  private async registryConfigDigest(app: string): Promise<string | null> {
    const registry = this.options.registry;
    if (!registry) return null;
    const res = await fetch(`http://${registry.address}/v2/${app}/web/manifests/latest`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
        accept: 'application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    if (!res.ok) return 'sha256:not-pushed';
    return ((await res.json()) as { config: { digest: string } }).config.digest;
  }

  start() {
    return this.server.start().then(() => this);
  }
  stop() {
    return this.server.stop();
  }
}

/**
 * Heroku as the deploy tests meet it: the Platform API stub with `app` on the heroku-24 stack, and a REAL
 * docker-registry standing in for registry.heroku.com, which takes user `_` and the API key as password.
 */
export async function startHerokuStandIn(app: string): Promise<{
  apiKey: string;
  registry: TestRegistry;
  heroku: HerokuStub;
  stop(): Promise<void>;
}> {
  const apiKey = `HRKU-${randomBytes(24).toString('hex')}`;
  const registry = await startTestRegistry({ username: '_', password: apiKey });
  try {
    const heroku = await new HerokuStub({
      apiKey,
      apps: [{ name: app, stack: 'heroku-24' }],
      registry: { address: registry.address, username: '_', password: apiKey },
    }).start();
    return { apiKey, registry, heroku, stop: async () => void (await Promise.all([heroku.stop(), registry.stop()])) };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}
