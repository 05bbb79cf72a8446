import type { ImageSummary } from '../../electron/contract';
import type { SortState } from '../ui/Table';

export const imageName = (image: ImageSummary): string => image.tags[0] ?? '<none>:<none>';

const KEYS: Record<string, (image: ImageSummary) => string | number> = {
  name: imageName,
  id: (i) => i.id,
  created: (i) => i.created,
  size: (i) => i.size,
  inUse: (i) => i.containers,
};

/** Filter by any tag or id fragment (case-insensitive), then sort by the chosen column. */
export function sortAndFilterImages(images: ImageSummary[], filter: string, sort: SortState): ImageSummary[] {
  const needle = filter.trim().toLowerCase();
  const kept = needle
    ? images.filter((i) => i.tags.some((t) => t.toLowerCase().includes(needle)) || i.id.includes(needle))
    : images;
  const key = KEYS[sort.key] ?? KEYS.name!;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...kept].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}

/** Total disk use: the sum of image sizes (shared base layers are counted once per image, like `docker images`). */
export const totalSize = (images: ImageSummary[]): number => images.reduce((sum, i) => sum + i.size, 0);
