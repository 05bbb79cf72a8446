/** electron-builder.yml is valid for the installed electron-builder and switches the risky fuses off. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  // Compiling the large schema takes several seconds.
  it('validates against app-builder-lib/scheme.json', { timeout: 60_000 }, () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('sets every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('packs the bundles into an asar and starts the bundled main', () => {
    expect(config).toMatchObject({
      appId: 'dev.berth.app',
      productName: 'Berth',
      asar: true,
      directories: { output: 'release' },
      extraMetadata: { main: 'dist/electron/main.cjs' },
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
  });
});
