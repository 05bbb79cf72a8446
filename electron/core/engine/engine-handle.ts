import type Dockerode from 'dockerode';

/**
 * The ONE shape in which the engine is passed around the core: the dockerode client and the address it
 * talks to (for error messages, and to know whether host ports can be checked from this machine).
 * The Engine class has this shape, so it can be passed as is; a snapshot `{ docker, endpoint }` also fits.
 */
export interface EngineHandle {
  readonly docker: Dockerode;
  readonly endpoint: string;
  /** Labels to put on every image and container created through this handle, besides Berth's own. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** True when the engine runs on this machine, so a host port it publishes can be probed by binding it here. */
export function engineIsLocal(endpoint: string): boolean {
  if (/^(unix|npipe):/.test(endpoint)) return true;
  const host = /^[a-z]+:\/\/\[?([^\]/:]+)/i.exec(endpoint)?.[1];
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}
