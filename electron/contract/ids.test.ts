import { describe, expect, it } from 'vitest';
import { ContainerRef, HostIp, isIp, isRegistryHost, looksSecret, Port } from './ids';

describe('strict ids and names accept what docker accepts', () => {
  it.each([
    ['notas', true],
    ['berth-test-x_1.2', true],
    ['0123456789ab', true],
    ['a'.repeat(64), true],
    ['a', false],
    ['..', false],
    ['../x', false],
    ['_x', false],
    ['a/b', false],
  ])('container id or name %j → %s', (id, ok) => expect(ContainerRef.safeParse(id).success).toBe(ok));

  it.each([
    ['docker.io', true],
    ['index.docker.io', true],
    ['https://index.docker.io/v1/', true],
    ['127.0.0.1:5000', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['[fe80::1]', true],
    ['registry.example.com', true],
    ['file:///etc/passwd', false],
    [' ', false],
    ['', false],
    ['https://registry.example.com', false],
    ['registry.example.com:0', false],
    ['registry.example.com:70000', false],
    ['[zz::1]:5000', false],
    ['-bad.example.com', false],
  ])('registry host %j → %s', (host, ok) => expect(isRegistryHost(host)).toBe(ok));

  it.each([
    ['127.0.0.1', true],
    ['0.0.0.0', true],
    ['::', true],
    ['::1', true],
    ['fe80::1', true],
    ['2001:db8::8a2e:370:7334', true],
    ['::ffff:192.168.0.1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['not an ip', false],
    ['', false],
    ['localhost', false],
    ['fe80::1%lo', false],
  ])('IP %j → %s', (ip, ok) => {
    expect(isIp(ip)).toBe(ok);
    expect(HostIp.safeParse(ip).success).toBe(ok);
  });

  it('ports are whole numbers 1–65535 and nothing is coerced', () => {
    for (const ok of [1, 80, 65535]) expect(Port.safeParse(ok).success).toBe(true);
    for (const bad of [0, 65536, 1.5, -1, true, [8080], '8080', '0x1F90', null, Number.NaN]) {
      expect(Port.safeParse(bad).success).toBe(false);
    }
  });

  it('secret-looking names', () => {
    for (const name of ['SECRET_TOKEN', 'DB_PASSWORD', 'api_key', 'NPM_AUTH', 'AWS_CREDENTIALS', 'PASSWD']) {
      expect(looksSecret(name)).toBe(true);
    }
    for (const name of ['NODE_IMAGE', 'PORT', 'VERSION', 'DEBUG']) expect(looksSecret(name)).toBe(false);
  });
});
