/**
 * Azure Resource Manager, the calls an App Service container deploy needs, each with the api-version its
 * REST reference documents. Every request carries `Authorization: Bearer <token>`; bodies are JSON.
 * Refusals keep ARM's words (`{"error":{"code":"ResourceGroupNotFound","message":"..."}}`).
 * Long-running PUTs answering 201/202 are followed through Azure-AsyncOperation or Location.
 */
import { type AzureNamed, BerthError } from '../../contract';
import { isSafeUrl } from './endpoints';
import { bodyText, type HttpAnswer, type HttpRequest, send } from './http';

export const ARM_API_VERSIONS = {
  subscriptions: '2022-12-01',
  resourceGroups: '2021-04-01',
  web: '2023-12-01',
} as const;

/** How often, and how long, a long-running ARM operation is polled. */
export const ARM_POLL_MS = 1000;
export const ARM_OPERATION_DEADLINE_MS = 10 * 60_000;

const SERVICE = 'Azure Resource Manager';

export function armRefusal(answer: HttpAnswer, what: string): BerthError {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const said = typeof error?.message === 'string' ? error.message : bodyText(answer.body) || `HTTP ${answer.status}`;
  const code = typeof error?.code === 'string' ? ` (${error.code})` : '';
  const message = `Azure refused ${what}: ${said}${code}`;
  switch (answer.status) {
    case 401:
      return new BerthError('AUTH_FAILED', message, 'Sign in to Azure again: the token was refused or has expired.');
    case 403:
      return new BerthError('AUTH_FAILED', message, 'Use an account with Contributor rights on the subscription.');
    case 404:
      return new BerthError('NOT_FOUND', message, 'Check the name and subscription, or let Berth create it.');
    case 409:
      return new BerthError('CONFLICT', message, 'Pick another name: this one is taken or busy.');
    default:
      return new BerthError('DEPLOY_FAILED', message, 'Correct what Azure names, then deploy again.');
  }
}

export interface ArmSite {
  id: string;
  name: string;
  location: string;
  defaultHostName: string | null;
  scmHostName: string | null;
  serverFarmId: string | null;
}

interface RawResource {
  id?: unknown;
  name?: unknown;
  location?: unknown;
  kind?: unknown;
  properties?: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const named = (raw: RawResource): AzureNamed => ({
  id: str(raw.id) ?? '',
  name: str(raw.name) ?? '',
  location: str(raw.location),
});

function toSite(raw: RawResource): ArmSite {
  const states = raw.properties?.hostNameSslStates;
  const scm = Array.isArray(states)
    ? (states as { name?: unknown; hostType?: unknown }[]).find((s) => s.hostType === 'Repository')
    : undefined;
  return {
    ...named(raw),
    location: str(raw.location) ?? '',
    defaultHostName: str(raw.properties?.defaultHostName),
    scmHostName: str(scm?.name),
    serverFarmId: str(raw.properties?.serverFarmId),
  };
}

const seg = encodeURIComponent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class AzureArm {
  constructor(
    private readonly armUrl: string,
    private readonly token: () => Promise<string>,
    private readonly signal?: AbortSignal,
  ) {}

  private async request(
    method: HttpRequest['method'],
    path: string,
    apiVersion: string,
    what: string,
    json?: unknown,
  ): Promise<HttpAnswer> {
    const url = `${this.armUrl}${path}?api-version=${apiVersion}`;
    return send(
      {
        method,
        url,
        headers: { Accept: 'application/json', Authorization: `Bearer ${await this.token()}` },
        ...(json !== undefined && { json }),
        ...(this.signal && { signal: this.signal }),
      },
      SERVICE,
    ).then((answer) => {
      if (answer.status < 200 || answer.status >= 300) throw armRefusal(answer, what);
      return answer;
    });
  }

  /** GET that answers null for 404 (the thing does not exist yet). */
  private async find(path: string, apiVersion: string, what: string): Promise<RawResource | null> {
    try {
      return (await this.request('GET', path, apiVersion, what)).body as RawResource;
    } catch (error) {
      if (error instanceof BerthError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /** Waits for a long-running operation (201/202) to finish; throws ARM's error when it failed. */
  private async settle(answer: HttpAnswer, what: string): Promise<void> {
    if (answer.status !== 201 && answer.status !== 202) return;
    const operation = answer.headers.get('azure-asyncoperation');
    const location = answer.headers.get('location');
    const poll = operation ?? location;
    if (!poll) return;
    if (!isSafeUrl(poll) || new URL(poll).origin !== new URL(this.armUrl).origin) {
      throw new BerthError(
        'DEPLOY_FAILED',
        `Azure sent Berth to poll ${new URL(poll).origin}, not ARM; Berth refused.`,
      );
    }
    const deadline = Date.now() + ARM_OPERATION_DEADLINE_MS;
    for (;;) {
      const wait = Number(answer.headers.get('retry-after'));
      await sleep(Number.isFinite(wait) && wait > 0 ? Math.min(wait * 1000, 30_000) : ARM_POLL_MS);
      const next = await send(
        {
          method: 'GET',
          url: poll,
          headers: { Accept: 'application/json', Authorization: `Bearer ${await this.token()}` },
          ...(this.signal && { signal: this.signal }),
        },
        SERVICE,
      );
      if (next.status >= 400) throw armRefusal(next, what);
      if (operation) {
        const status = (next.body as { status?: unknown } | null)?.status;
        if (status === 'Succeeded') return;
        if (status === 'Failed' || status === 'Canceled') throw armRefusal({ ...next, status: 400 }, what);
      } else if (next.status !== 202) return;
      if (Date.now() > deadline) {
        throw new BerthError(
          'DEPLOY_FAILED',
          `Azure did not finish ${what} in time.`,
          'Check the Azure portal, then deploy again.',
        );
      }
      answer = next;
    }
  }

  async subscriptions(): Promise<AzureNamed[]> {
    const body = (await this.request('GET', '/subscriptions', ARM_API_VERSIONS.subscriptions, 'the subscription list'))
      .body as {
      value?: { subscriptionId?: unknown; displayName?: unknown }[];
    };
    return (body?.value ?? []).map((s) => ({
      id: str(s.subscriptionId) ?? '',
      name: str(s.displayName) ?? '',
      location: null,
    }));
  }

  async resourceGroups(subscription: string): Promise<AzureNamed[]> {
    const body = (
      await this.request(
        'GET',
        `/subscriptions/${seg(subscription)}/resourcegroups`,
        ARM_API_VERSIONS.resourceGroups,
        'the resource group list',
      )
    ).body as { value?: RawResource[] };
    return (body?.value ?? []).map(named);
  }

  /** The subscription's Linux App Service plans (kind linux, reserved). */
  async linuxPlans(subscription: string): Promise<AzureNamed[]> {
    const body = (
      await this.request(
        'GET',
        `/subscriptions/${seg(subscription)}/providers/Microsoft.Web/serverfarms`,
        ARM_API_VERSIONS.web,
        'the plan list',
      )
    ).body as { value?: RawResource[] };
    return (body?.value ?? []).filter((p) => p.properties?.reserved === true).map(named);
  }

  async sites(subscription: string): Promise<AzureNamed[]> {
    const body = (
      await this.request(
        'GET',
        `/subscriptions/${seg(subscription)}/providers/Microsoft.Web/sites`,
        ARM_API_VERSIONS.web,
        'the app list',
      )
    ).body as { value?: RawResource[] };
    return (body?.value ?? []).map(named);
  }

  private groupPath = (sub: string, group: string) => `/subscriptions/${seg(sub)}/resourcegroups/${seg(group)}`;
  private webPath = (sub: string, group: string, kind: 'serverfarms' | 'sites', name: string) =>
    `/subscriptions/${seg(sub)}/resourceGroups/${seg(group)}/providers/Microsoft.Web/${kind}/${seg(name)}`;

  async resourceGroup(sub: string, group: string): Promise<AzureNamed | null> {
    const raw = await this.find(
      this.groupPath(sub, group),
      ARM_API_VERSIONS.resourceGroups,
      `resource group "${group}"`,
    );
    return raw ? named(raw) : null;
  }

  async createResourceGroup(sub: string, group: string, location: string): Promise<AzureNamed> {
    const answer = await this.request(
      'PUT',
      this.groupPath(sub, group),
      ARM_API_VERSIONS.resourceGroups,
      `to create resource group "${group}"`,
      { location },
    );
    return named(answer.body as RawResource);
  }

  /** The plan, with whether it is a Linux plan; null when there is none by that name. */
  async plan(sub: string, group: string, plan: string): Promise<(AzureNamed & { linux: boolean }) | null> {
    const raw = await this.find(this.webPath(sub, group, 'serverfarms', plan), ARM_API_VERSIONS.web, `plan "${plan}"`);
    return raw ? { ...named(raw), linux: raw.properties?.reserved === true } : null;
  }

  /** A Linux plan (kind linux, reserved: true) on the Basic B1 size. */
  async createLinuxPlan(sub: string, group: string, plan: string, location: string): Promise<AzureNamed> {
    const path = this.webPath(sub, group, 'serverfarms', plan);
    const what = `to create plan "${plan}"`;
    const answer = await this.request('PUT', path, ARM_API_VERSIONS.web, what, {
      location,
      kind: 'linux',
      sku: { name: 'B1', tier: 'Basic' },
      properties: { reserved: true },
    });
    await this.settle(answer, what);
    return answer.status === 200
      ? named(answer.body as RawResource)
      : named((await this.request('GET', path, ARM_API_VERSIONS.web, `plan "${plan}"`)).body as RawResource);
  }

  async site(sub: string, group: string, site: string): Promise<ArmSite | null> {
    const raw = await this.find(this.webPath(sub, group, 'sites', site), ARM_API_VERSIONS.web, `app "${site}"`);
    return raw ? toSite(raw) : null;
  }

  /** Creates the web app for a container: linuxFxVersion DOCKER|image. */
  async createContainerSite(
    sub: string,
    group: string,
    site: string,
    options: { location: string; serverFarmId: string; linuxFxVersion: string },
  ): Promise<void> {
    const what = `to create app "${site}"`;
    const answer = await this.request('PUT', this.webPath(sub, group, 'sites', site), ARM_API_VERSIONS.web, what, {
      location: options.location,
      kind: 'app,linux,container',
      properties: {
        serverFarmId: options.serverFarmId,
        reserved: true,
        siteConfig: { linuxFxVersion: options.linuxFxVersion },
      },
    });
    await this.settle(answer, what);
  }

  /** Points an existing app at the image (PATCH config/web: the rest of its configuration stays). */
  async setContainer(sub: string, group: string, site: string, linuxFxVersion: string): Promise<void> {
    await this.request(
      'PATCH',
      `${this.webPath(sub, group, 'sites', site)}/config/web`,
      ARM_API_VERSIONS.web,
      `the container of "${site}"`,
      {
        properties: { linuxFxVersion },
      },
    );
  }

  async appSettings(sub: string, group: string, site: string): Promise<Record<string, string>> {
    const body = (
      await this.request(
        'POST',
        `${this.webPath(sub, group, 'sites', site)}/config/appsettings/list`,
        ARM_API_VERSIONS.web,
        `the settings of "${site}"`,
      )
    ).body as { properties?: Record<string, unknown> };
    return Object.fromEntries(
      Object.entries(body?.properties ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }

  /** Writes ALL app settings (ARM replaces the whole set): callers merge with `appSettings` first. */
  async replaceAppSettings(sub: string, group: string, site: string, settings: Record<string, string>): Promise<void> {
    await this.request(
      'PUT',
      `${this.webPath(sub, group, 'sites', site)}/config/appsettings`,
      ARM_API_VERSIONS.web,
      `the settings of "${site}"`,
      {
        properties: settings,
      },
    );
  }

  async restart(sub: string, group: string, site: string): Promise<void> {
    await this.request(
      'POST',
      `${this.webPath(sub, group, 'sites', site)}/restart`,
      ARM_API_VERSIONS.web,
      `to restart "${site}"`,
    );
  }
}
