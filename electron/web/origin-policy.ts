/**
 * Which Host and Origin headers web mode accepts: exactly Berth's own loopback address, by IP or as
 * localhost. The Host check defeats DNS rebinding; the Origin check defeats cross-site requests.
 */
export const allowedHosts = (port: number): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
export const allowedOrigins = (port: number): string[] => allowedHosts(port).map((host) => `http://${host}`);

export const isAllowedHost = (host: string | undefined, port: number): boolean =>
  host !== undefined && allowedHosts(port).includes(host.toLowerCase());

export const isAllowedOrigin = (origin: string | undefined, port: number): boolean =>
  origin !== undefined && allowedOrigins(port).includes(origin.toLowerCase());
