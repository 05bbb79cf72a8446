import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../../contract';
import { configuredContext, dockerConfigDir, storedContexts } from './context-store';
import { DEFAULT_HOST, listContexts, resolveEndpoint } from './endpoint';

let configDir: string;

function storeContext(name: string, host: string, options: { skipTls?: boolean; tls?: boolean; description?: string }) {
  const key = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(configDir, 'contexts', 'meta', key), { recursive: true });
  const meta = {
    Name: name,
    Metadata: { Description: options.description ?? '' },
    Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipTls ?? false } },
  };
  writeFileSync(join(configDir, 'contexts', 'meta', key, 'meta.json'), JSON.stringify(meta));
  if (options.tls) {
    const tlsDir = join(configDir, 'contexts', 'tls', key, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tlsDir, file), `${file} of ${name}`);
  }
  return key;
}

const setCurrent = (name: string) =>
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));

beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
});
afterEach(() => rmSync(configDir, { recursive: true, force: true }));

describe('resolving the engine like the docker CLI', () => {
  it('uses the default unix socket when nothing is configured', () => {
    expect(resolveEndpoint({}, configDir)).toEqual({ context: 'default', host: DEFAULT_HOST, source: 'default' });
  });

  it('uses DOCKER_HOST before DOCKER_CONTEXT and config.json', () => {
    storeContext('remote', 'tcp://10.0.0.9:2375', {});
    setCurrent('remote');
    const endpoint = resolveEndpoint({ DOCKER_HOST: 'unix:///tmp/other.sock', DOCKER_CONTEXT: 'remote' }, configDir);
    expect(endpoint).toEqual({ context: 'default', host: 'unix:///tmp/other.sock', source: 'DOCKER_HOST' });
  });

  it('adds TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for a tcp DOCKER_HOST', () => {
    const env = { DOCKER_HOST: 'tcp://build.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' };
    expect(resolveEndpoint(env, configDir).tls).toEqual({ certDir: '/certs', verify: true });
  });

  it('looks for TLS files in the config folder when DOCKER_CERT_PATH is unset', () => {
    const env = { DOCKER_HOST: 'tcp://build.example:2376', DOCKER_TLS_VERIFY: '1' };
    expect(resolveEndpoint(env, configDir).tls).toEqual({ certDir: configDir, verify: true });
  });

  it('uses no TLS for tcp without DOCKER_TLS_VERIFY or DOCKER_TLS', () => {
    expect(resolveEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, configDir).tls).toBeUndefined();
  });

  it('uses DOCKER_CONTEXT before config.json', () => {
    storeContext('one', 'tcp://10.0.0.1:2375', {});
    storeContext('two', 'ssh://me@10.0.0.2', {});
    setCurrent('one');
    expect(resolveEndpoint({ DOCKER_CONTEXT: 'two' }, configDir)).toEqual({
      context: 'two',
      host: 'ssh://me@10.0.0.2',
      source: 'DOCKER_CONTEXT',
    });
  });

  it('uses currentContext from config.json, with its TLS folder and SkipTLSVerify', () => {
    const key = storeContext('secure', 'tcp://10.0.0.3:2376', { tls: true, skipTls: true });
    setCurrent('secure');
    expect(resolveEndpoint({}, configDir)).toEqual({
      context: 'secure',
      host: 'tcp://10.0.0.3:2376',
      source: 'config.json',
      tls: { certDir: join(configDir, 'contexts', 'tls', key, 'docker'), verify: false },
    });
  });

  it('treats currentContext "default" as the default engine', () => {
    setCurrent('default');
    expect(resolveEndpoint({}, configDir).host).toBe(DEFAULT_HOST);
  });

  it('refuses a context that does not exist, naming where it came from', () => {
    const error = (() => {
      try {
        resolveEndpoint({ DOCKER_CONTEXT: 'ghost' }, configDir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('"ghost" (from DOCKER_CONTEXT)'),
    });
  });

  it('lets a context chosen in Berth win over DOCKER_HOST', () => {
    storeContext('chosen', 'tcp://10.0.0.4:2375', {});
    const endpoint = resolveEndpoint({ DOCKER_HOST: 'unix:///x.sock' }, configDir, 'chosen');
    expect(endpoint).toMatchObject({ context: 'chosen', host: 'tcp://10.0.0.4:2375', source: 'chosen' });
  });

  it('reads DOCKER_CONFIG as the config folder', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/etc/dc', HOME: '/home/x' })).toBe('/etc/dc');
    expect(dockerConfigDir({ HOME: '/home/x' })).toBe('/home/x/.docker');
  });

  it('ignores a broken config.json and broken meta files', () => {
    writeFileSync(join(configDir, 'config.json'), '{not json');
    mkdirSync(join(configDir, 'contexts', 'meta', 'junk'), { recursive: true });
    writeFileSync(join(configDir, 'contexts', 'meta', 'junk', 'meta.json'), '[]');
    expect(configuredContext(configDir)).toBeUndefined();
    expect(storedContexts(configDir)).toEqual([]);
  });
});

describe('listing contexts', () => {
  it('lists default first, then the stored contexts by name, marking the current one', () => {
    storeContext('zeta', 'tcp://10.0.0.26:2375', { description: 'last' });
    storeContext('alpha', 'ssh://me@alpha', {});
    const contexts = listContexts({}, configDir, 'zeta');
    expect(contexts).toEqual([
      { name: 'default', endpoint: DEFAULT_HOST, description: 'The local engine', current: false },
      { name: 'alpha', endpoint: 'ssh://me@alpha', current: false },
      { name: 'zeta', endpoint: 'tcp://10.0.0.26:2375', description: 'last', current: true },
    ]);
  });

  it('shows DOCKER_HOST as the default context endpoint', () => {
    const [first] = listContexts({ DOCKER_HOST: 'tcp://1.2.3.4:2375' }, configDir, 'default');
    expect(first).toMatchObject({ name: 'default', endpoint: 'tcp://1.2.3.4:2375', current: true });
  });
});
