import { connectionError } from './connection-errors';
import type { EngineEndpoint } from './endpoint';

const ssh: EngineEndpoint = { context: 'box', host: 'ssh://me@box.lan:2222', source: 'chosen', identityFile: '/k/id' };
const tls: EngineEndpoint = {
  context: 'tls',
  host: 'tcp://10.0.0.5:2376',
  source: 'chosen',
  tls: { certDir: '/cfg/tls', verify: true },
};

describe('why a connection to an engine failed', () => {
  it('a refused SSH key names the key file and where its public half belongs', () => {
    const error = connectionError(
      ssh,
      Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }),
    );
    expect(error).toMatchObject({
      code: 'AUTH_FAILED',
      message: 'The SSH server at box.lan:2222 refused the key: /k/id.',
    });
    expect(error.fix).toContain('authorized_keys');
    const agent = connectionError({ ...ssh, identityFile: undefined } as EngineEndpoint, {
      level: 'client-authentication',
    });
    expect(agent.message).toContain('SSH agent');
  });

  it('an SSH host that does not answer, or hangs in the handshake, is ENGINE_UNREACHABLE', () => {
    expect(connectionError(ssh, { code: 'ECONNREFUSED' }).code).toBe('ENGINE_UNREACHABLE');
    expect(connectionError(ssh, new Error('Timed out while waiting for handshake')).message).toContain('box.lan:2222');
  });

  it('TLS: the CA file when the engine certificate is not vouched for, cert.pem when the client is refused', () => {
    const ca = connectionError(tls, { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(ca).toMatchObject({ code: 'AUTH_FAILED' });
    expect(ca.message).toContain('/cfg/tls/ca.pem does not vouch for');
    const client = connectionError(tls, {
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      message: 'alert certificate required',
    });
    expect(client.message).toBe('The engine at 10.0.0.5:2376 refused the client certificate /cfg/tls/cert.pem.');
    expect(connectionError(tls, { code: 'ECONNREFUSED' }).code).toBe('ENGINE_UNREACHABLE');
  });
});
