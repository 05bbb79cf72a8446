/**
 * Build fidelity with the docker CLI as the oracle (every instruction, continuations, progress output and failures): see ./test/fidelity-suite.ts for what is compared.
 * The other group is in fidelity-stages.engine.test.ts.
 */
import { fidelitySuite } from './test/fidelity-suite';

fidelitySuite('instructions');
