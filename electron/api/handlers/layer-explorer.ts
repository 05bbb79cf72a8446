import { diffImageLayers, exploreImage } from '../../core/insight/layers';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type LayerExplorerHandlers = Pick<Handlers, 'images.explore' | 'images.diff'>;

export function layerExplorerHandlers({ engine, recordsDir }: Services): LayerExplorerHandlers {
  return {
    'images.explore': ({ ref }) => exploreImage(engine, ref, { recordsDir }),
    'images.diff': ({ from, to }) => diffImageLayers(engine, from, to),
  };
}
