import { parseImageReference } from '../../contract';
import { applyAdvice, checkAdvice, type DigestLookup, measureBuild } from '../../core/insight/advisor';
import type { Handlers } from '../handler-types';
import { engineNow, type Services } from '../services';

type AdviceHandlers = Pick<Handlers, 'advice.check' | 'advice.apply' | 'advice.measure'>;

export function adviceHandlers({ engine }: Services): AdviceHandlers {
  // A base image's digest, when the engine has it with one (pulled from a registry): what an unpinned FROM is pinned to.
  const digestOf: DigestLookup = async (ref) => {
    const parsed = parseImageReference(ref);
    if (!parsed) return null;
    const info = await engineNow(engine).docker.getImage(ref).inspect();
    const digest = (info.RepoDigests ?? []).find((d) => d.startsWith(`${parsed.repository}@`));
    return digest ?? null;
  };
  return {
    'advice.check': (input) => checkAdvice(input, digestOf),
    'advice.apply': (input) => applyAdvice(input, digestOf),
    // The engine's labels go on the measuring builds too (engineNow alone leaves them out).
    'advice.measure': (input) => measureBuild(engineNow(engine), input),
  };
}
