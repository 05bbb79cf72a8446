import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type EngineHandlers = Pick<
  Handlers,
  'engine.status' | 'engine.contexts' | 'engine.useContext' | 'engine.addContext' | 'engine.portReachable'
>;

export function engineHandlers({ engine }: Services): EngineHandlers {
  return {
    'engine.status': () => engine.status(),
    'engine.contexts': () => engine.contexts(),
    'engine.useContext': ({ name }) => engine.useContext(name),
    'engine.addContext': (input) => engine.addContext(input),
    'engine.portReachable': ({ port }) => engine.portReachable(port),
  };
}
