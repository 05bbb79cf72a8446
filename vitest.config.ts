import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Four kinds of test, each runnable alone with `vitest run --project NAME`:
//   unit      fast, no engine: pure logic, recorded engine streams, transports, the notes service
//   engine    *.engine.test.ts: need the real dockerd (and start their own registry)
//   renderer  *.test.tsx: React components in jsdom
//   e2e       e2e/*.e2e.test.ts: Chromium through playwright-core against web mode
// Vitest's default 5 s per test is a speed claim: unit tests that start processes (the notes service, web-mode
// servers) waited longer than that while `npm test` ran the engine lanes on the same two cores. A test that hangs
// still fails, after this generous, named deadline.
const FAST_TEST_DEADLINE_MS = 60_000;

export default defineConfig({
  test: {
    globals: true,
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'electron/**/*.test.ts',
            'service/src/**/*.test.ts',
            'scripts/**/*.test.ts',
            'test/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['**/*.engine.test.ts', '**/node_modules/**'],
          globals: true,
          testTimeout: FAST_TEST_DEADLINE_MS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'engine',
          environment: 'node',
          include: ['**/*.engine.test.ts'],
          exclude: ['**/node_modules/**'],
          globals: true,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ['test/engine-global-setup.ts'],
          // One engine file at a time in a vitest process; `npm test` runs several such processes at once, in
          // the lanes of test/lanes.ts (which keeps apart what must not overlap).
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.tsx', 'renderer/**/*.test.ts'],
          globals: true,
          setupFiles: ['renderer/test-setup.ts'],
          testTimeout: FAST_TEST_DEADLINE_MS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          globals: true,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['test/engine-global-setup.ts'],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
