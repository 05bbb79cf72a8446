/**
 * Microsoft Entra ID's device code flow and Azure Resource Manager, as their documentation describes them,
 * for contract tests.
 *
 * Authority (learn.microsoft.com "OAuth 2.0 device authorization grant"): MSAL accepts only https
 * authorities, so this stub serves TLS on 127.0.0.1 with a certificate from a CA made for the test
 * (openssl). It answers the OpenID configuration, POST /{tenant}/oauth2/v2.0/devicecode (client_id, scope)
 * and POST /{tenant}/oauth2/v2.0/token (grant_type device_code, device_code), first with
 * `authorization_pending`, then with the token.
 *
 * ARM (learn.microsoft.com/rest/api: Subscriptions 2022-12-01, Resource Groups 2021-04-01, App Service
 * 2023-12-01): every call needs the api-version its reference names and `Authorization: Bearer <token>`;
 * errors are `{"error":{"code","message"}}`. Plans are created as a long-running operation (201 with
 * Azure-AsyncOperation). App settings writes replace the whole set, as on Azure. The app's SCM host
 * (another stub on loopback) serves Kudu's /api/logstream.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { objectWith, type StubAnswer, type StubRequest, StubServer } from './stub-server';

const execFileAsync = promisify(execFile);

export const API = { subscriptions: '2022-12-01', groups: '2021-04-01', web: '2023-12-01' };
const FORM = /^application\/x-www-form-urlencoded/;
const JSON_BODY = /^application\/json/;

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl in a temp dir (removed). */
export async function testCertificate(): Promise<{ ca: string; key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-test-ca-'));
  try {
    const run = (...args: string[]) => execFileAsync('openssl', args, { cwd: dir });
    await run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=berth-test-ca',
    );
    await run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'srv.key',
      '-out',
      'srv.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    await writeFile(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
    await run(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.crt',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
    );
    const [ca, key, cert] = await Promise.all(
      ['ca.crt', 'srv.key', 'srv.crt'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    return { ca: ca as string, key: key as string, cert: cert as string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface AuthorityStubOptions {
  tls: { key: string; cert: string };
  /** The scope the token must be asked for. */
  scope: string;
  /** How the device code flow ends once the user "entered" the code. */
  outcome?: 'token' | 'expired_token';
}

export class AuthorityStub {
  readonly server: StubServer;
  readonly token = `stub-arm-token-${randomBytes(16).toString('hex')}`;
  readonly userCode = 'BERTH-7530';
  private readonly deviceCode = `device-${randomUUID()}`;
  private polls = 0;

  constructor(options: AuthorityStubOptions) {
    const base = () => this.server.url;
    const scopeOk = (r: StubRequest) => {
      const form = new URLSearchParams(r.text);
      if (!form.get('client_id')) return 'lacks client_id';
      return (form.get('scope') ?? '').split(' ').includes(options.scope)
        ? null
        : `scope must include ${options.scope}`;
    };
    this.server = new StubServer({
      name: 'authority-stub',
      tls: options.tls,
      reject: (why) => ({ status: 400, json: { error: 'invalid_request', error_description: `stub: ${why}` } }),
      routes: [
        {
          method: 'GET',
          path: '/:tenant/v2.0/.well-known/openid-configuration',
          answer: (r) => {
            const t = `${base()}/${r.params.tenant}`;
            return {
              status: 200,
              json: {
                issuer: `${base()}/{tenantid}/v2.0`,
                authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
                token_endpoint: `${t}/oauth2/v2.0/token`,
                device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
                end_session_endpoint: `${t}/oauth2/v2.0/logout`,
                jwks_uri: `${t}/discovery/v2.0/keys`,
                response_modes_supported: ['query', 'fragment', 'form_post'],
              },
            };
          },
        },
        {
          method: 'POST',
          path: '/:tenant/oauth2/v2.0/devicecode',
          headers: { 'content-type': FORM },
          body: scopeOk,
          answer: () => ({
            status: 200,
            json: {
              device_code: this.deviceCode,
              user_code: this.userCode,
              verification_uri: 'https://microsoft.com/devicelogin',
              expires_in: 900,
              interval: 1,
              message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${this.userCode} to authenticate.`,
            },
          }),
        },
        {
          method: 'POST',
          path: '/:tenant/oauth2/v2.0/token',
          headers: { 'content-type': FORM },
          body: (r) => {
            const form = new URLSearchParams(r.text);
            const grant = form.get('grant_type');
            if (grant !== 'device_code' && grant !== 'urn:ietf:params:oauth:grant-type:device_code') {
              return `grant_type must be the device code grant, was ${grant}`;
            }
            if (form.get('device_code') !== this.deviceCode) return 'device_code is not the one handed out';
            return scopeOk(r);
          },
          answer: (): StubAnswer => {
            this.polls++;
            if (this.polls === 1) {
              return {
                status: 400,
                json: { error: 'authorization_pending', error_description: 'AADSTS70016: pending' },
              };
            }
            if (options.outcome === 'expired_token') {
              return {
                status: 400,
                json: { error: 'expired_token', error_description: 'AADSTS70019: Verification code expired.' },
              };
            }
            return {
              status: 200,
              json: {
                token_type: 'Bearer',
                scope: options.scope,
                expires_in: 3600,
                ext_expires_in: 3600,
                access_token: this.token,
                client_info: Buffer.from(JSON.stringify({ uid: 'user', utid: 'tenant' })).toString('base64url'),
              },
            };
          },
        },
      ],
    });
  }

  start() {
    return this.server.start().then(() => this);
  }
  stop() {
    return this.server.stop();
  }
}

interface Site {
  id: string;
  name: string;
  group: string;
  location: string;
  serverFarmId: string;
  linuxFxVersion: string;
  settings: Record<string, string>;
  restarts: number;
}

const armError = (status: number, code: string, message: string): StubAnswer => ({
  status,
  json: { error: { code, message } },
});

export interface ArmStubOptions {
  token: string;
  subscriptionId: string;
  /** Site names someone else holds (globally unique on Azure): creating one answers 409. */
  takenSites?: string[];
}

export class ArmStub {
  readonly server: StubServer;
  readonly scm: StubServer;
  readonly groups = new Map<string, { id: string; name: string; location: string }>();
  readonly plans = new Map<string, { id: string; name: string; location: string; reserved: boolean; group: string }>();
  readonly sites = new Map<string, Site>();
  private readonly operations = new Map<string, number>();

  constructor(options: ArmStubOptions) {
    const { subscriptionId } = options;
    const sub = `/subscriptions/${subscriptionId}`;
    const web = `${sub}/resourceGroups/:group/providers/Microsoft.Web`;
    const headers = { authorization: /^Bearer \S+$/, accept: /application\/json/ };
    const bodyHeaders = { ...headers, 'content-type': JSON_BODY };
    const authed =
      (answer: (r: StubRequest) => StubAnswer) =>
      (r: StubRequest): StubAnswer => {
        if (r.headers.authorization !== `Bearer ${options.token}`) {
          return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
        }
        if (r.params.sub !== undefined && r.params.sub !== subscriptionId) {
          return armError(404, 'SubscriptionNotFound', `The subscription '${r.params.sub}' could not be found.`);
        }
        return answer(r);
      };
    const inGroup = (answer: (r: StubRequest) => StubAnswer) =>
      authed((r) =>
        this.groups.has((r.params.group ?? '').toLowerCase())
          ? answer(r)
          : armError(404, 'ResourceGroupNotFound', `Resource group '${r.params.group}' could not be found.`),
      );
    const site = (answer: (r: StubRequest, s: Site) => StubAnswer) =>
      inGroup((r) => {
        const s = this.sites.get((r.params.site ?? '').toLowerCase());
        return s
          ? answer(r, s)
          : armError(
              404,
              'ResourceNotFound',
              `The Resource 'Microsoft.Web/sites/${r.params.site}' under resource group '${r.params.group}' was not found.`,
            );
      });
    const list = <T>(values: Iterable<T>, map: (v: T) => unknown) => ({
      status: 200,
      json: { value: [...values].map(map) },
    });

    this.scm = new StubServer({
      name: 'scm-stub',
      routes: [
        {
          method: 'GET',
          path: '/api/logstream',
          headers: { authorization: `Bearer ${options.token}` },
          answer: () => {
            const s = [...this.sites.values()].at(-1);
            return {
              status: 200,
              lines: [
                `${new Date().toISOString()} INFO  - Pulling image: ${s?.linuxFxVersion.slice('DOCKER|'.length)}`,
                `${new Date().toISOString()} INFO  - docker run -d -p 7530:${s?.settings.WEBSITES_PORT} --name ${s?.name}_0_b168528e -e WEBSITES_PORT=${s?.settings.WEBSITES_PORT} -e PORT=${s?.settings.WEBSITES_PORT} -e WEBSITE_SITE_NAME=${s?.name} -e WEBSITE_HOSTNAME=${s?.name}.azurewebsites.net`,
                `${new Date().toISOString()} INFO  - Site ${s?.name} started`,
              ],
            };
          },
        },
      ],
    });

    this.server = new StubServer({
      name: 'arm-stub',
      caseInsensitive: true,
      reject: (why) => armError(400, 'InvalidRequest', `stub: ${why}`),
      routes: [
        {
          method: 'GET',
          path: '/subscriptions',
          query: { 'api-version': API.subscriptions },
          headers,
          answer: authed(() =>
            list([subscriptionId], (id) => ({
              id: `/subscriptions/${id}`,
              subscriptionId: id,
              displayName: 'Berth test subscription',
              state: 'Enabled',
            })),
          ),
        },
        {
          method: 'GET',
          path: '/subscriptions/:sub/resourcegroups',
          query: { 'api-version': API.groups },
          headers,
          answer: authed(() => list(this.groups.values(), (g) => g)),
        },
        {
          method: 'GET',
          path: '/subscriptions/:sub/resourcegroups/:group',
          query: { 'api-version': API.groups },
          headers,
          answer: inGroup((r) => ({ status: 200, json: this.groups.get((r.params.group ?? '').toLowerCase()) })),
        },
        {
          method: 'PUT',
          path: '/subscriptions/:sub/resourcegroups/:group',
          query: { 'api-version': API.groups },
          headers: bodyHeaders,
          body: (r) => objectWith(r.json, ['location'], ['location', 'tags', 'managedBy']),
          answer: authed((r) => {
            const name = r.params.group ?? '';
            const g = {
              id: `${sub}/resourceGroups/${name}`,
              name,
              location: (r.json as { location: string }).location,
            };
            const existed = this.groups.has(name.toLowerCase());
            this.groups.set(name.toLowerCase(), g);
            return { status: existed ? 200 : 201, json: { ...g, properties: { provisioningState: 'Succeeded' } } };
          }),
        },
        {
          method: 'GET',
          path: '/subscriptions/:sub/providers/Microsoft.Web/serverfarms',
          query: { 'api-version': API.web },
          headers,
          answer: authed(() =>
            list(this.plans.values(), (p) => ({
              id: p.id,
              name: p.name,
              location: p.location,
              kind: p.reserved ? 'linux' : 'app',
              properties: { reserved: p.reserved },
            })),
          ),
        },
        {
          method: 'GET',
          path: '/subscriptions/:sub/providers/Microsoft.Web/sites',
          query: { 'api-version': API.web },
          headers,
          answer: authed(() => list(this.sites.values(), (s) => this.siteJson(s))),
        },
        {
          method: 'GET',
          path: `${web}/serverfarms/:plan`,
          query: { 'api-version': API.web },
          headers,
          answer: inGroup((r) => {
            const p = this.plans.get((r.params.plan ?? '').toLowerCase());
            return p
              ? {
                  status: 200,
                  json: {
                    id: p.id,
                    name: p.name,
                    location: p.location,
                    kind: p.reserved ? 'linux' : 'app',
                    properties: { reserved: p.reserved },
                  },
                }
              : armError(
                  404,
                  'ResourceNotFound',
                  `The Resource 'Microsoft.Web/serverFarms/${r.params.plan}' was not found.`,
                );
          }),
        },
        {
          method: 'PUT',
          path: `${web}/serverfarms/:plan`,
          query: { 'api-version': API.web },
          headers: bodyHeaders,
          body: (r) => {
            const shape = objectWith(
              r.json,
              ['location', 'sku', 'properties'],
              ['location', 'sku', 'properties', 'kind', 'tags'],
            );
            if (shape) return shape;
            const b = r.json as { kind?: string; properties: { reserved?: boolean }; sku: { name?: string } };
            if (b.properties.reserved !== true) return 'a Linux plan needs properties.reserved = true';
            if (b.kind !== undefined && !/linux/i.test(b.kind)) return 'kind must say linux';
            return typeof b.sku.name === 'string' ? null : 'sku.name is required';
          },
          answer: inGroup((r) => {
            const name = r.params.plan ?? '';
            const group = r.params.group ?? '';
            const plan = {
              id: `${sub}/resourceGroups/${group}/providers/Microsoft.Web/serverfarms/${name}`,
              name,
              location: (r.json as { location: string }).location,
              reserved: true,
              group,
            };
            this.plans.set(name.toLowerCase(), plan);
            const op = randomUUID();
            this.operations.set(op, 0);
            return {
              status: 201,
              headers: {
                'azure-asyncoperation': `${this.server.url}${sub}/providers/Microsoft.Web/locations/${plan.location}/operationResults/${op}?api-version=${API.web}`,
              },
              json: {
                id: plan.id,
                name,
                location: plan.location,
                kind: 'linux',
                properties: { reserved: true, provisioningState: 'InProgress' },
              },
            };
          }),
        },
        {
          method: 'GET',
          path: '/subscriptions/:sub/providers/Microsoft.Web/locations/:location/operationResults/:op',
          query: { 'api-version': API.web },
          headers: { authorization: /^Bearer \S+$/ },
          answer: authed((r) => {
            const seen = (this.operations.get(r.params.op ?? '') ?? 0) + 1;
            this.operations.set(r.params.op ?? '', seen);
            return { status: 200, json: { status: seen > 1 ? 'Succeeded' : 'InProgress' } };
          }),
        },
        {
          method: 'GET',
          path: `${web}/sites/:site`,
          query: { 'api-version': API.web },
          headers,
          answer: site((_r, s) => ({ status: 200, json: this.siteJson(s) })),
        },
        {
          method: 'PUT',
          path: `${web}/sites/:site`,
          query: { 'api-version': API.web },
          headers: bodyHeaders,
          body: (r) => {
            const shape = objectWith(
              r.json,
              ['location', 'properties'],
              ['location', 'properties', 'kind', 'tags', 'identity'],
            );
            if (shape) return shape;
            const b = r.json as {
              properties: { serverFarmId?: string; siteConfig?: { linuxFxVersion?: string; appSettings?: unknown } };
            };
            if (!b.properties.serverFarmId || !this.planById(b.properties.serverFarmId))
              return 'properties.serverFarmId must be an existing plan id';
            if (!/^DOCKER\|[^|\s]+:[^|\s]+$/.test(b.properties.siteConfig?.linuxFxVersion ?? '')) {
              return 'properties.siteConfig.linuxFxVersion must be DOCKER|image:tag';
            }
            return null;
          },
          answer: inGroup((r) => {
            const name = r.params.site ?? '';
            if (options.takenSites?.includes(name)) {
              return armError(409, 'Conflict', `Website with given name ${name} already exists.`);
            }
            const b = r.json as {
              location: string;
              properties: { serverFarmId: string; siteConfig: { linuxFxVersion: string } };
            };
            const s: Site = {
              id: `${sub}/resourceGroups/${r.params.group}/providers/Microsoft.Web/sites/${name}`,
              name,
              group: r.params.group ?? '',
              location: b.location,
              serverFarmId: b.properties.serverFarmId,
              linuxFxVersion: b.properties.siteConfig.linuxFxVersion,
              settings: {},
              restarts: 0,
            };
            this.sites.set(name.toLowerCase(), s);
            return { status: 200, json: this.siteJson(s) };
          }),
        },
        {
          method: 'PATCH',
          path: `${web}/sites/:site/config/web`,
          query: { 'api-version': API.web },
          headers: bodyHeaders,
          body: (r) => {
            const shape = objectWith(r.json, ['properties'], ['properties', 'kind']);
            if (shape) return shape;
            return /^DOCKER\|[^|\s]+:[^|\s]+$/.test(
              (r.json as { properties: { linuxFxVersion?: string } }).properties.linuxFxVersion ?? '',
            )
              ? null
              : 'properties.linuxFxVersion must be DOCKER|image:tag';
          },
          answer: site((r, s) => {
            s.linuxFxVersion = (r.json as { properties: { linuxFxVersion: string } }).properties.linuxFxVersion;
            return {
              status: 200,
              json: { id: `${s.id}/config/web`, name: 'web', properties: { linuxFxVersion: s.linuxFxVersion } },
            };
          }),
        },
        {
          method: 'POST',
          path: `${web}/sites/:site/config/appsettings/list`,
          query: { 'api-version': API.web },
          headers,
          answer: site((_r, s) => ({
            status: 200,
            json: { id: `${s.id}/config/appsettings`, name: 'appsettings', properties: s.settings },
          })),
        },
        {
          method: 'PUT',
          path: `${web}/sites/:site/config/appsettings`,
          query: { 'api-version': API.web },
          headers: bodyHeaders,
          body: (r) => {
            const shape = objectWith(r.json, ['properties'], ['properties', 'kind']);
            if (shape) return shape;
            const props = (r.json as { properties: unknown }).properties;
            return typeof props === 'object' &&
              props !== null &&
              Object.values(props).every((v) => typeof v === 'string')
              ? null
              : 'properties must map names to text values';
          },
          answer: site((r, s) => {
            s.settings = { ...(r.json as { properties: Record<string, string> }).properties };
            return {
              status: 200,
              json: { id: `${s.id}/config/appsettings`, name: 'appsettings', properties: s.settings },
            };
          }),
        },
        {
          method: 'POST',
          path: `${web}/sites/:site/restart`,
          query: { 'api-version': API.web },
          headers,
          answer: site((_r, s) => {
            s.restarts++;
            return { status: 200 };
          }),
        },
      ],
    });
  }

  private planById(id: string) {
    return [...this.plans.values()].find((p) => p.id.toLowerCase() === id.toLowerCase());
  }

  private siteJson(s: Site) {
    return {
      id: s.id,
      name: s.name,
      location: s.location,
      kind: 'app,linux,container',
      properties: {
        state: 'Running',
        defaultHostName: `${s.name}.azurewebsites.net`,
        serverFarmId: s.serverFarmId,
        hostNameSslStates: [
          { name: `${s.name}.azurewebsites.net`, hostType: 'Standard' },
          { name: this.scm.host, hostType: 'Repository' },
        ],
      },
    };
  }

  async start() {
    await Promise.all([this.server.start(), this.scm.start()]);
    return this;
  }
  async stop() {
    await Promise.all([this.server.stop(), this.scm.stop()]);
  }
}
