/**
 * Adding an engine from the UI: a Unix socket, ssh://user@host[:port], or tcp://host:port with TLS. Saving
 * writes a docker context in the CLI's own format (core/engine/context-writer.ts), so `docker context ls`
 * shows it too. These shapes check what can be checked without the file system; the files themselves
 * (readable, regular, PEM) are checked where they are read.
 */
import { z } from 'zod';
import { ENGINE_HOST_NAME, isIp, NEW_CONTEXT_NAME, Port, SSH_USER } from './ids';

/** Whether text holds a control character (a newline, NUL, escape, ...). */
const hasControl = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** An absolute path on this machine, for a socket, key or certificate. */
export const AbsoluteFilePath = z
  .string({ message: 'the path must be text' })
  .min(2, 'give an absolute path, e.g. /home/me/.docker/ca.pem')
  .max(4096, 'the path is too long')
  .refine((p) => p.startsWith('/'), 'give an absolute path (starting with /)')
  .refine((p) => !hasControl(p), 'the path must not contain control characters');

/** A name for a new context, by the docker CLI's rule; "default" is reserved. */
export const NewContextName = z
  .string({ message: 'the name must be text' })
  .regex(
    NEW_CONTEXT_NAME,
    'a context name has 2+ characters: letters, digits, _ . + - and starts with a letter or digit',
  )
  .refine((n) => n !== 'default', '"default" is a reserved context name');

/** A host name or an IP address (IPv6 without brackets), as typed into an engine address. */
export const EngineHost = z
  .string({ message: 'the host must be text' })
  .max(253, 'the host name is too long')
  .refine(
    (h) => isIp(h) || (ENGINE_HOST_NAME.test(h) && !/^[0-9.]+$/.test(h)),
    'give a host name or IP address only (e.g. buildbox.lan or 10.0.0.5), without scheme, user, port or path',
  );

const Description = z
  .string()
  .max(200, 'keep the description under 200 characters')
  .refine((d) => !hasControl(d), 'the description must be one line of text')
  .optional();

export const NewEngine = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('unix'), name: NewContextName, description: Description, socketPath: AbsoluteFilePath })
    .strict(),
  z
    .object({
      kind: z.literal('ssh'),
      name: NewContextName,
      description: Description,
      user: z.string().regex(SSH_USER, 'an ssh user name uses letters, digits, _ . - (no @, : or spaces)'),
      host: EngineHost,
      port: Port.optional(),
      /** A private key file (unencrypted); without it the SSH agent (SSH_AUTH_SOCK) is asked. */
      identityFile: AbsoluteFilePath.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('tls'),
      name: NewContextName,
      description: Description,
      host: EngineHost,
      port: Port,
      ca: AbsoluteFilePath,
      cert: AbsoluteFilePath,
      key: AbsoluteFilePath,
    })
    .strict(),
]);
export type NewEngine = z.infer<typeof NewEngine>;

/** Whether a port the engine publishes answers from this machine at the engine's host. */
export const PortReach = z.object({
  host: z.string().describe("where the port was tried: the engine's host (127.0.0.1 for a local engine)"),
  port: Port,
  reachable: z.boolean(),
  reason: z.string().optional().describe('why it did not answer, and what to do instead'),
});
export type PortReach = z.infer<typeof PortReach>;
