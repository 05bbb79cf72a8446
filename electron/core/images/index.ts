/** The images room: list, inspect, remove, prune, tag and layers, each taking the Engine. */
export { inspectImage, listImages } from './image-list';
export { type ImageRemoval, pruneImages, removeImage, tagImage } from './image-removal';
export { instructionOf } from './instruction';
export { imageLayers, pairLayers } from './layers';
