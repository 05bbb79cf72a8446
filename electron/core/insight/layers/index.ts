/** The layer explorer: per-layer file trees, waste, history lines, and the diff of two images. */
export { diffImageLayers, exploreImage } from './explore';
