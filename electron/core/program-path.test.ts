import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { findOnPath } from './program-path';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-program-path-'));
  writeFileSync(join(dir, 'berth-tool'), '#!/bin/sh\n');
  chmodSync(join(dir, 'berth-tool'), 0o755);
  writeFileSync(join(dir, 'berth-plain'), 'not a program\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('finds an executable file in an absolute PATH entry, by its absolute path', () => {
  expect(findOnPath('berth-tool', ['/nonexistent', dir].join(delimiter))).toBe(join(dir, 'berth-tool'));
});

it('skips relative and empty entries, files that cannot run and folders', () => {
  expect(findOnPath('berth-tool', ['', '.', relative(process.cwd(), dir)].join(delimiter))).toBeUndefined();
  expect(findOnPath('berth-plain', dir)).toBeUndefined();
  expect(findOnPath('berth-tool', undefined)).toBeUndefined();
});
