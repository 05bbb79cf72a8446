/**
 * Where Berth sends deploy requests. The Azure cloud is a choice (public, US Government, China), each with
 * its own ARM and sign-in hosts; the environment can override every host, which is how the contract tests
 * (and anyone with a stub written from the same documentation) point the real app elsewhere:
 *
 *   BERTH_HEROKU_API_URL        https URL of the Heroku Platform API (default https://api.heroku.com)
 *   BERTH_HEROKU_REGISTRY       host[:port] of Heroku's container registry (default registry.heroku.com)
 *   BERTH_AZURE_ARM_URL         https URL of Azure Resource Manager (default: the cloud's)
 *   BERTH_AZURE_AUTHORITY_HOST  https URL of the Entra ID sign-in host (default: the cloud's)
 *
 * URLs must be https, except on a loopback address (127.0.0.0/8, [::1], localhost), where http is allowed;
 * no user, password, query or fragment; the host passes the same strict check as registry hosts.
 */
import { type AzureCloud, BerthError, type DeployEndpoints, isIpv4, isRegistryHost } from '../../contract';

export interface CloudHosts {
  armUrl: string;
  authorityHost: string;
  /** The audience of ARM tokens: stays the cloud's even when the ARM URL is overridden. */
  armScope: string;
}

/** Published endpoints of each Azure cloud (Azure CLI's `az cloud show`). */
export const AZURE_CLOUDS: Record<AzureCloud, CloudHosts> = {
  public: {
    armUrl: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
    armScope: 'https://management.azure.com/.default',
  },
  usgov: {
    armUrl: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    armScope: 'https://management.usgovcloudapi.net/.default',
  },
  china: {
    armUrl: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
  },
};

export const HEROKU_API_URL = 'https://api.heroku.com';
export const HEROKU_REGISTRY = 'registry.heroku.com';

export const ENDPOINT_VARIABLES = [
  'BERTH_HEROKU_API_URL',
  'BERTH_HEROKU_REGISTRY',
  'BERTH_AZURE_ARM_URL',
  'BERTH_AZURE_AUTHORITY_HOST',
] as const;
export type EndpointVariable = (typeof ENDPOINT_VARIABLES)[number];

/** Whether a URL host (as `URL.hostname` gives it) is this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || (isIpv4(host) && host.startsWith('127.'));
}

/** Whether Berth may fetch `url`: https, or http on this machine only. */
export function isSafeUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      !parsed.username &&
      !parsed.password &&
      (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)))
    );
  } catch {
    return false;
  }
}

/**
 * A base URL from the environment: https (http only on loopback), a strict host, no credentials, query or
 * fragment. Returns the URL without a trailing slash. Throws INVALID_INPUT naming the variable.
 */
export function parseEndpointUrl(variable: string, value: string): string {
  const refuse = (why: string) =>
    new BerthError(
      'INVALID_INPUT',
      `${variable}=${JSON.stringify(value.slice(0, 200))} cannot be used: ${why}.`,
      `Set ${variable} to an https URL such as https://api.example.com (http only for 127.0.0.1 or localhost), or unset it.`,
      { [variable]: [why] },
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('it is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw refuse(url.protocol === 'http:' ? 'plain http is allowed only on a loopback address' : 'it is not https');
  }
  if (url.username || url.password) throw refuse('it carries a user name or password');
  if (url.search || url.hash || value.includes('?') || value.includes('#')) throw refuse('it has a query or fragment');
  if (!isRegistryHost(url.host) || url.host.length === 0) throw refuse('its host is not a plain host[:port]');
  // The value must be what URL understood: no backslashes, blanks or percent-escapes that a parser reads another way.
  if (!/^[A-Za-z0-9.:[\]/_-]+$/.test(value)) throw refuse('it contains characters a host or path cannot have');
  return url.href.replace(/\/+$/, '');
}

/** A registry host from the environment: host[:port] as `docker login` takes it. */
export function parseRegistryHost(variable: string, value: string): string {
  if (isRegistryHost(value) && !value.includes('/')) return value.toLowerCase();
  throw new BerthError(
    'INVALID_INPUT',
    `${variable}=${JSON.stringify(value.slice(0, 200))} is not a registry host.`,
    `Set ${variable} to host[:port], e.g. registry.heroku.com or 127.0.0.1:5000, or unset it.`,
    { [variable]: ['not a registry host'] },
  );
}

/** Everything the deploys need to know about where to go, with the problems found in the environment. */
export interface ResolvedEndpoints {
  heroku: { apiUrl: string; registry: string };
  azure: { cloud: AzureCloud; armUrl: string; authorityHost: string; armScope: string };
  overridden: EndpointVariable[];
  problems: { variable: EndpointVariable; error: BerthError }[];
}

export function resolveEndpoints(cloud: AzureCloud, env: NodeJS.ProcessEnv = process.env): ResolvedEndpoints {
  const hosts = AZURE_CLOUDS[cloud];
  const overridden: EndpointVariable[] = [];
  const problems: ResolvedEndpoints['problems'] = [];
  const pick = (variable: EndpointVariable, fallback: string, parse: (v: string, value: string) => string) => {
    const value = env[variable];
    if (value === undefined || value === '') return fallback;
    try {
      const parsed = parse(variable, value);
      overridden.push(variable);
      return parsed;
    } catch (error) {
      problems.push({ variable, error: error as BerthError });
      return fallback;
    }
  };
  return {
    heroku: {
      apiUrl: pick('BERTH_HEROKU_API_URL', HEROKU_API_URL, parseEndpointUrl),
      registry: pick('BERTH_HEROKU_REGISTRY', HEROKU_REGISTRY, parseRegistryHost),
    },
    azure: {
      cloud,
      armUrl: pick('BERTH_AZURE_ARM_URL', hosts.armUrl, parseEndpointUrl),
      authorityHost: pick('BERTH_AZURE_AUTHORITY_HOST', hosts.authorityHost, parseEndpointUrl),
      armScope: hosts.armScope,
    },
    overridden,
    problems,
  };
}

/** Throws the first problem with a variable `platform` uses, so a deploy never silently goes to a default. */
export function requireUsable(endpoints: ResolvedEndpoints, platform: 'heroku' | 'azure'): void {
  const prefix = platform === 'heroku' ? 'BERTH_HEROKU_' : 'BERTH_AZURE_';
  const problem = endpoints.problems.find((p) => p.variable.startsWith(prefix));
  if (problem) throw problem.error;
}

export function endpointsView(endpoints: ResolvedEndpoints): DeployEndpoints {
  return {
    heroku: endpoints.heroku,
    azure: {
      cloud: endpoints.azure.cloud,
      armUrl: endpoints.azure.armUrl,
      authorityHost: endpoints.azure.authorityHost,
    },
    overridden: endpoints.overridden,
    problems: endpoints.problems.map(({ variable, error }) => ({ variable, message: error.message })),
  };
}
