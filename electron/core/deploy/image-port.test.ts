import { linuxFxVersion } from './azure-deploy';
import { APP_SERVICE_DEFAULT_PORT, imageListeningPort } from './image-port';

describe('the port an image listens on, for WEBSITES_PORT', () => {
  it('ENV PORT wins (the tutorial: ENV PORT=5000, EXPOSE $PORT)', () => {
    expect(
      imageListeningPort({ Env: ['PATH=/bin', 'PORT=5000'], ExposedPorts: { '5000/tcp': {}, '9229/tcp': {} } }),
    ).toEqual({
      port: 5000,
      from: "the image's ENV PORT=5000",
    });
  });

  it('then the one EXPOSEd TCP port; the lowest of several, saying so; UDP ports do not count', () => {
    expect(imageListeningPort({ ExposedPorts: { '8080/tcp': {}, '53/udp': {} } }).port).toBe(8080);
    const several = imageListeningPort({ ExposedPorts: { '9000/tcp': {}, '3000/tcp': {} } });
    expect(several.port).toBe(3000);
    expect(several.from).toMatch(/3000, 9000.*by hand/);
  });

  it("App Service's default when the image says nothing; a PORT that is not a port is ignored", () => {
    expect(imageListeningPort({}).port).toBe(APP_SERVICE_DEFAULT_PORT);
    expect(imageListeningPort({ Env: ['PORT=$PORT'], ExposedPorts: null }).port).toBe(APP_SERVICE_DEFAULT_PORT);
    expect(imageListeningPort({ Env: ['PORT=70000'], ExposedPorts: { '80/tcp': {} } }).from).toMatch(/EXPOSE 80/);
  });
});

describe('linuxFxVersion', () => {
  it('names Docker Hub images without docker.io/ or library/, others with their registry', () => {
    expect(linuxFxVersion('berthuser/notas-iv:1.0')).toBe('DOCKER|berthuser/notas-iv:1.0');
    expect(linuxFxVersion('docker.io/library/nginx')).toBe('DOCKER|nginx:latest');
    expect(linuxFxVersion('myregistry.azurecr.io/team/app:2')).toBe('DOCKER|myregistry.azurecr.io/team/app:2');
  });

  it('refuses a digest-pinned or malformed reference with a field', () => {
    expect(() => linuxFxVersion(`app@sha256:${'a'.repeat(64)}`)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => linuxFxVersion('Not A Ref')).toThrow(
      expect.objectContaining({ fields: { image: [expect.any(String)] } }),
    );
  });
});
