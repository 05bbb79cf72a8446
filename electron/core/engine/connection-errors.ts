/**
 * Why a connection to an engine failed, in the user's words, naming the thing to fix: the TLS file
 * the engine or Berth rejected, the SSH key the server refused, or the host that does not answer.
 * Pure: the endpoint and the error thrown by node's tls/net or ssh2 are its only inputs.
 */
import { join } from 'node:path';
import { BerthError } from '../../contract';
import { unreachable } from '../errors';
import type { EngineEndpoint } from './endpoint';
import { hostKeyError, hostKeyRefusal } from './known-hosts';

interface ConnectError {
  code?: string;
  level?: string;
  message?: string;
}

/** Node's codes for a server certificate this side cannot verify with the CA it was given. */
const SERVER_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

const NOT_ANSWERING = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

const hostOf = (endpoint: EngineEndpoint): string => endpoint.host.replace(/^[a-z]+:\/\//, '').replace(/^.*@/, '');

/** The `ssh` command that reaches the same host, for fixes. */
function sshCommand(endpoint: EngineEndpoint): string {
  const url = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(endpoint.host);
  const user = url?.[1] ? `${decodeURIComponent(url[1])}@` : '';
  const host = url?.[2]?.replace(/^\[|\]$/g, '') ?? hostOf(endpoint);
  return `ssh ${url?.[3] ? `-p ${url[3]} ` : ''}${user}${host}`;
}

function sshError(endpoint: EngineEndpoint, e: ConnectError): BerthError | undefined {
  const message = e.message ?? '';
  const refusal = hostKeyRefusal(endpoint);
  if (refusal && /Host denied/i.test(message)) return hostKeyError(refusal, sshCommand(endpoint));
  if (e.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    const key = endpoint.identityFile ?? 'the keys in your SSH agent (SSH_AUTH_SOCK)';
    return new BerthError(
      'AUTH_FAILED',
      `The SSH server at ${hostOf(endpoint)} refused the key: ${key}.`,
      endpoint.identityFile
        ? `Add the public key of ${endpoint.identityFile} to ~/.ssh/authorized_keys of that user on the engine's host, or pick the right key for the context.`
        : 'Load the right key into ssh-agent (ssh-add), or give the context a key file.',
    );
  }
  if (/timed out while waiting for handshake/i.test(message) || (e.code && NOT_ANSWERING.has(e.code))) {
    return new BerthError(
      'ENGINE_UNREACHABLE',
      `The SSH server at ${hostOf(endpoint)} cannot be reached (${e.code ?? message}).`,
      'Check the host name and port, that sshd runs there, and that no firewall is in the way (try `ssh -p PORT user@host`).',
    );
  }
  if (/dial-stdio|command not found|docker: not found/i.test(message)) {
    return new BerthError(
      'ENGINE_UNREACHABLE',
      `The host ${hostOf(endpoint)} accepted the SSH login, but \`docker system dial-stdio\` failed there: ${message}`,
      'Install the docker CLI on that host and make sure that user may use the engine (docker group or root).',
    );
  }
  return undefined;
}

function tlsError(endpoint: EngineEndpoint, e: ConnectError): BerthError | undefined {
  const dir = endpoint.tls?.certDir ?? '';
  const file = (name: string) => (dir ? join(dir, name) : name);
  const message = e.message ?? '';
  if (e.code && SERVER_CERT_CODES.has(e.code)) {
    return new BerthError(
      'AUTH_FAILED',
      `The engine at ${hostOf(endpoint)} presented a certificate that ${file('ca.pem')} does not vouch for (${e.code}).`,
      `Replace ${file('ca.pem')} with the CA that signed the engine's certificate (the one given to dockerd as --tlscacert).`,
    );
  }
  if (
    /alert (bad certificate|certificate required|unknown ca|certificate unknown)|SSLV3_ALERT|TLSV1_ALERT|TLSV13_ALERT/i.test(
      `${e.code ?? ''} ${message}`,
    )
  ) {
    return new BerthError(
      'AUTH_FAILED',
      `The engine at ${hostOf(endpoint)} refused the client certificate ${file('cert.pem')}.`,
      `Replace ${file('cert.pem')} and ${file('key.pem')} with a certificate and key signed by the engine's CA (its --tlscacert).`,
    );
  }
  if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(message)) {
    return new BerthError(
      'INVALID_INPUT',
      `${file('key.pem')} is not the private key of ${file('cert.pem')}.`,
      `Put the key that belongs to ${file('cert.pem')} in ${file('key.pem')}.`,
    );
  }
  return undefined;
}

/** The clearest error for a failed connection to `endpoint`; falls back to "does not answer". */
export function connectionError(endpoint: EngineEndpoint, cause: unknown): BerthError {
  if (cause instanceof BerthError) return cause;
  const e = (cause ?? {}) as ConnectError;
  const scheme = endpoint.host.slice(0, endpoint.host.indexOf('://'));
  const specific = scheme === 'ssh' ? sshError(endpoint, e) : endpoint.tls ? tlsError(endpoint, e) : undefined;
  return specific ?? unreachable(endpoint.host, cause);
}
