/**
 * The port an image listens on, from its config, for App Service's WEBSITES_PORT: `ENV PORT=n` first (the
 * tutorial's images listen on $PORT), then the one EXPOSEd TCP port; App Service's own default, 80, when
 * the image says nothing. `from` says which, so the UI can show why.
 */
export interface ImagePort {
  port: number;
  from: string;
}

export const APP_SERVICE_DEFAULT_PORT = 80;

export function imageListeningPort(config: {
  Env?: string[] | null;
  ExposedPorts?: Record<string, unknown> | null;
}): ImagePort {
  const env = (config.Env ?? []).find((line) => line.startsWith('PORT='));
  const fromEnv = env === undefined ? Number.NaN : Number(env.slice('PORT='.length));
  if (Number.isInteger(fromEnv) && fromEnv >= 1 && fromEnv <= 65535)
    return { port: fromEnv, from: `the image's ENV ${env}` };
  const exposed = Object.keys(config.ExposedPorts ?? {})
    .filter((key) => key.endsWith('/tcp'))
    .map((key) => Number(key.slice(0, -'/tcp'.length)))
    .filter((port) => Number.isInteger(port) && port >= 1 && port <= 65535)
    .sort((a, b) => a - b);
  if (exposed.length === 1) return { port: exposed[0] as number, from: `the image's EXPOSE ${exposed[0]}` };
  if (exposed.length > 1) {
    return {
      port: exposed[0] as number,
      from: `the lowest of the image's EXPOSEd ports (${exposed.join(', ')}); set the port by hand if the app listens on another`,
    };
  }
  return { port: APP_SERVICE_DEFAULT_PORT, from: 'App Service’s default: the image sets neither ENV PORT nor EXPOSE' };
}
