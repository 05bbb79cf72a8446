import { imageLayers, listImages, pruneImages, removeImage, tagImage } from '../../core/images';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type ImageHandlers = Pick<Handlers, 'images.list' | 'images.layers' | 'images.remove' | 'images.prune' | 'images.tag'>;

export function imageHandlers({ engine }: Services): ImageHandlers {
  return {
    'images.list': () => listImages(engine),
    'images.layers': ({ ref }) => imageLayers(engine, ref),
    'images.remove': ({ ref, force }) => removeImage(engine, ref, force),
    'images.prune': () => pruneImages(engine),
    'images.tag': ({ source, target }) => tagImage(engine, source, target),
  };
}
