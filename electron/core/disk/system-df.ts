/** The engine's `GET /system/df` answer, and the Disk view's totals worked out from it as the docker CLI does. */
import type { DiskCategory, DiskUsage } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';

export interface DfImage {
  Id: string;
  ParentId?: string;
  RepoTags?: string[] | null;
  Labels?: Record<string, string> | null;
  Containers: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
}
export interface DfContainer {
  Id: string;
  Names?: string[];
  State: string;
  SizeRw?: number;
  Labels?: Record<string, string> | null;
}
export interface DfVolume {
  Name: string;
  Labels?: Record<string, string> | null;
  UsageData?: { Size: number; RefCount: number } | null;
}
export interface DfBuildCache {
  ID: string;
  Description?: string;
  Size: number;
  InUse: boolean;
  Shared: boolean;
  CreatedAt: string;
  LastUsedAt?: string | null;
}
export interface SystemDf {
  LayersSize: number;
  Images?: DfImage[] | null;
  Containers?: DfContainer[] | null;
  Volumes?: DfVolume[] | null;
  BuildCache?: DfBuildCache[] | null;
}

export async function systemDf(engine: EngineHandle): Promise<SystemDf> {
  try {
    return (await engine.docker.df()) as SystemDf;
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'disk usage');
  }
}

/** Running, paused and restarting containers hold on to their layer; the docker CLI counts them as active. */
export const containerIsActive = (state: string): boolean => /running|paused|restarting/.test(state);

const sum = <T>(items: T[], size: (item: T) => number): number => items.reduce((total, item) => total + size(item), 0);
const known = (size: number | undefined | null): number => (size == null || size < 0 ? 0 : size);

/** The four rows of the Disk view, with the same totals and reclaimable space as `docker system df`. */
export function diskUsage(df: SystemDf, takenAt = Date.now()): DiskUsage {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];

  const usedImages = images.filter((i) => i.Containers > 0);
  const imageSize = known(df.LayersSize);
  // Layers of images in use, not counting layers shared with other images (as the docker CLI counts it).
  const imagesInUse = sum(usedImages, (i) => (i.Size < 0 || i.SharedSize < 0 ? 0 : i.Size - i.SharedSize));
  const imageRow: DiskCategory = {
    total: images.length,
    active: usedImages.length,
    sizeBytes: imageSize,
    reclaimableBytes: Math.max(0, imageSize - imagesInUse),
  };

  const activeContainers = containers.filter((c) => containerIsActive(c.State));
  const containerRow: DiskCategory = {
    total: containers.length,
    active: activeContainers.length,
    sizeBytes: sum(containers, (c) => known(c.SizeRw)),
    reclaimableBytes: sum(
      containers.filter((c) => !containerIsActive(c.State)),
      (c) => known(c.SizeRw),
    ),
  };

  const volumeRow: DiskCategory = {
    total: volumes.length,
    active: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length,
    sizeBytes: sum(volumes, (v) => known(v.UsageData?.Size)),
    reclaimableBytes: sum(
      volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0),
      (v) => known(v.UsageData?.Size),
    ),
  };

  const cacheRow: DiskCategory = {
    total: cache.length,
    active: cache.filter((c) => c.InUse).length,
    sizeBytes: sum(
      cache.filter((c) => !c.Shared),
      (c) => known(c.Size),
    ),
    reclaimableBytes: sum(
      cache.filter((c) => !c.Shared && !c.InUse),
      (c) => known(c.Size),
    ),
  };

  return { images: imageRow, containers: containerRow, volumes: volumeRow, buildCache: cacheRow, takenAt };
}
