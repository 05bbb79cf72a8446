import {
  AZURE_CLOUDS,
  HEROKU_API_URL,
  HEROKU_REGISTRY,
  parseEndpointUrl,
  requireUsable,
  resolveEndpoints,
} from './endpoints';

describe('deploy endpoints', () => {
  it('each Azure cloud has its own ARM and sign-in hosts; Heroku has its defaults', () => {
    expect(resolveEndpoints('usgov', {}).azure).toMatchObject({
      armUrl: 'https://management.usgovcloudapi.net',
      authorityHost: 'https://login.microsoftonline.us',
    });
    expect(resolveEndpoints('china', {}).azure.authorityHost).toBe('https://login.chinacloudapi.cn');
    expect(resolveEndpoints('public', {}).heroku).toEqual({ apiUrl: HEROKU_API_URL, registry: HEROKU_REGISTRY });
    expect(new Set(Object.values(AZURE_CLOUDS).map((c) => c.armUrl)).size).toBe(3);
  });

  it('the environment overrides every host, and says which', () => {
    const env = {
      BERTH_HEROKU_API_URL: 'http://127.0.0.1:4010/',
      BERTH_HEROKU_REGISTRY: '127.0.0.1:5001',
      BERTH_AZURE_ARM_URL: 'https://arm.example.test',
      BERTH_AZURE_AUTHORITY_HOST: 'https://[::1]:8443',
    };
    const resolved = resolveEndpoints('public', env);
    expect(resolved.heroku).toEqual({ apiUrl: 'http://127.0.0.1:4010', registry: '127.0.0.1:5001' });
    expect(resolved.azure.armUrl).toBe('https://arm.example.test');
    expect(resolved.azure.authorityHost).toBe('https://[::1]:8443');
    // The token audience stays the cloud's: a stub is a stand-in for ARM, not another resource.
    expect(resolved.azure.armScope).toBe('https://management.azure.com/.default');
    expect(resolved.overridden).toHaveLength(4);
    expect(resolved.problems).toEqual([]);
  });

  it.each([
    ['http://example.com', /only on a loopback/],
    ['ftp://127.0.0.1', /not https/],
    ['https://user:pw@example.com', /user name or password/],
    ['https://example.com/?x=1', /query or fragment/],
    ['https://exa mple.com', /not a URL|host/],
    ['https://example.com\\@evil.test', /characters|host|URL/],
    ['https://127.0.0.1.evil.test:99999', /not a URL|host/],
    ['not a url', /not a URL/],
  ])('refuses %s with a reason naming the variable', (value, why) => {
    expect(() => parseEndpointUrl('BERTH_AZURE_ARM_URL', value)).toThrow(why);
    const resolved = resolveEndpoints('public', { BERTH_AZURE_ARM_URL: value });
    expect(resolved.azure.armUrl).toBe(AZURE_CLOUDS.public.armUrl);
    expect(resolved.problems[0]?.error).toMatchObject({
      code: 'INVALID_INPUT',
      fields: { BERTH_AZURE_ARM_URL: [expect.any(String)] },
    });
    // A deploy never silently goes to the default instead.
    expect(() => requireUsable(resolved, 'azure')).toThrow(/BERTH_AZURE_ARM_URL/);
    expect(() => requireUsable(resolved, 'heroku')).not.toThrow();
  });

  it('refuses a registry override that is not host[:port]', () => {
    const resolved = resolveEndpoints('public', { BERTH_HEROKU_REGISTRY: 'https://registry.heroku.com/x' });
    expect(resolved.heroku.registry).toBe(HEROKU_REGISTRY);
    expect(() => requireUsable(resolved, 'heroku')).toThrow(/BERTH_HEROKU_REGISTRY/);
  });
});
