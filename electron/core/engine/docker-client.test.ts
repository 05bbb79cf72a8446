import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOptions } from './docker-client';
import type { EngineEndpoint } from './endpoint';

const at = (host: string, tls?: EngineEndpoint['tls']): EngineEndpoint => ({
  context: 'default',
  host,
  source: 'DOCKER_HOST',
  ...(tls && { tls }),
});

/** A file shaped like the PEM file it stands for (the contents are not parsed here). */
const pem = (file: string): string => {
  const kind = file === 'key.pem' || file.startsWith('id_') ? 'PRIVATE KEY' : 'CERTIFICATE';
  return `-----BEGIN ${kind}-----\n${Buffer.from(file).toString('base64')}\n-----END ${kind}-----\n`;
};

describe('dockerode options for an endpoint', () => {
  it('uses the socket path of a unix endpoint and clears any host from the environment', () => {
    const options = dockerOptions(at('unix:///run/user/1000/docker.sock'));
    expect(options).toMatchObject({ socketPath: '/run/user/1000/docker.sock', host: undefined, protocol: 'http' });
    expect(Object.hasOwn(options, 'host')).toBe(true);
  });

  it('uses plain http for tcp without TLS, with 2375 as the default port', () => {
    expect(dockerOptions(at('tcp://10.1.2.3'))).toMatchObject({ protocol: 'http', host: '10.1.2.3', port: 2375 });
    expect(dockerOptions(at('10.1.2.3:2400'))).toMatchObject({ host: '10.1.2.3', port: '2400' });
  });

  it('reads ca.pem, cert.pem and key.pem for TLS, and skips verification only when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-certs-'));
    try {
      for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, file), pem(file));
      const verified = dockerOptions(at('tcp://build.example:2376', { certDir: dir, verify: true })) as {
        agent: Agent;
        ca: Buffer;
        key: Buffer;
      };
      expect(verified).toMatchObject({ protocol: 'https', host: 'build.example', port: '2376' });
      expect(verified.ca.toString()).toBe(pem('ca.pem'));
      expect(verified.key.toString()).toBe(pem('key.pem'));
      expect(verified.agent).toBeInstanceOf(Agent);
      expect(verified.agent.options.rejectUnauthorized).toBe(true);
      const skipped = dockerOptions(at('tcp://build.example:2376', { certDir: dir, verify: false })) as {
        agent: Agent;
      };
      expect(skipped.agent.options.rejectUnauthorized).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects over ssh with the user from the URL and the ssh agent from the environment', () => {
    const options = dockerOptions(at('ssh://deploy@build.example:2222'), { SSH_AUTH_SOCK: '/tmp/agent.sock' });
    expect(options).toMatchObject({
      protocol: 'ssh',
      host: 'build.example',
      port: 2222,
      username: 'deploy',
      sshOptions: { agent: '/tmp/agent.sock' },
    });
  });

  it('refuses an unknown scheme or an empty socket path with INVALID_INPUT and an example', () => {
    expect(() => dockerOptions(at('ftp://x'))).toThrow(/scheme "ftp" is not supported/);
    expect(() => dockerOptions(at('unix://'))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('names the TLS file to fix when the CA is missing, a file is not PEM, or a key has no certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-certs-'));
    try {
      const tls = { certDir: dir, verify: true };
      expect(() => dockerOptions(at('tcp://h:2376', tls))).toThrow(
        `The CA certificate ${join(dir, 'ca.pem')} is missing`,
      );
      writeFileSync(join(dir, 'ca.pem'), 'not a certificate');
      expect(() => dockerOptions(at('tcp://h:2376', tls))).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: `${join(dir, 'ca.pem')} is not a PEM certificate.` }),
      );
      writeFileSync(join(dir, 'ca.pem'), pem('ca.pem'));
      writeFileSync(join(dir, 'key.pem'), pem('key.pem'));
      expect(() => dockerOptions(at('tcp://h:2376', tls))).toThrow(`${join(dir, 'cert.pem')} is missing`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("logs in over ssh with the context's key file, which must be a PEM private key", () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-ssh-'));
    try {
      const key = join(dir, 'id_test');
      writeFileSync(key, pem('id_test'));
      const options = dockerOptions({ ...at('ssh://root@127.0.0.1:2222'), identityFile: key }, { SSH_AUTH_SOCK: '/x' });
      expect((options.sshOptions as { privateKey: Buffer }).privateKey.toString()).toBe(pem('id_test'));
      expect(options.sshOptions).not.toHaveProperty('agent');
      writeFileSync(key, 'ssh-ed25519 AAAA public key by mistake');
      expect(() => dockerOptions({ ...at('ssh://root@127.0.0.1'), identityFile: key })).toThrow(
        `${key} is not a PEM private key.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
