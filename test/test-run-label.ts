/** The label every test puts on what it creates in the engine; its value names the run (test/engine-global-setup.ts). */
export const TEST_RUN_LABEL = 'io.berth.test-run';
