/** app://berth/ serves the built renderer with the CSP, and nothing outside it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy';
import { createAppProtocolHandler, resolveAppPath } from './app-protocol';

const base = mkdtempSync(join(tmpdir(), 'berth-protocol-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Berth</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(base, 'secret.txt'), 'secret');
const handle = createAppProtocolHandler(root);

describe('the app:// protocol', () => {
  it('serves index.html for / with the CSP header', async () => {
    const response = await handle(new Request('app://berth/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>Berth</title>');
  });

  it('serves assets with their content type', async () => {
    const response = await handle(new Request('app://berth/assets/app.js'));
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it.each([
    'app://berth/../secret.txt',
    'app://berth/%2e%2e/secret.txt',
    'app://berth/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://berth/..%5csecret.txt',
    'app://berth/%00index.html',
    'app://evil/index.html',
  ])('refuses %s', async (url) => {
    const response = await handle(new Request(url));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('secret');
  });

  it('answers /favicon.ico with the SVG icon', async () => {
    for (const url of ['app://berth/favicon.ico', 'app://berth/favicon.svg']) {
      const response = await handle(new Request(url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await response.text()).toContain('<svg');
    }
  });

  it('answers missing files with 404', async () => {
    expect((await handle(new Request('app://berth/nope.js'))).status).toBe(404);
    expect((await handle(new Request('app://berth/assets'))).status).toBe(404);
  });

  it('resolves paths only inside the renderer folder', () => {
    expect(resolveAppPath(root, 'app://berth/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppPath(root, 'app://berth/%2e%2e/secret.txt')).toBe(join(root, 'secret.txt'));
    expect(resolveAppPath(root, 'app://berth/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).toBeNull();
  });
});
