/**
 * Build fidelity with the docker CLI as the oracle (multi-stage builds, targets and build args before FROM): see ./test/fidelity-suite.ts for what is compared.
 * The other group is in fidelity-instructions.engine.test.ts.
 */
import { fidelitySuite } from './test/fidelity-suite';

fidelitySuite('stages');
