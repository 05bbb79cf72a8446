/**
 * The parity runs that passed in this session, by image id and platform, so that a deploy started from the
 * Deploy panel (outside the pipeline, which gates its own deploy stage) is offered only after its parity run
 * passed, or when the user overrides that on purpose. By image id: a tag moved to a new build needs a new run.
 */
import { BerthError, type ParityResult, type Platform } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';

const PLATFORM_NAME: Record<Platform, string> = { heroku: 'Heroku', azure: 'Azure' };

async function imageId(engine: EngineHandle, ref: string): Promise<string | null> {
  try {
    return ((await engine.docker.getImage(ref).inspect()) as { Id: string }).Id;
  } catch {
    return null;
  }
}

export class ParityPasses {
  private readonly passed = new Map<string, Set<Platform>>();

  /** Keeps a passed result against the id of the image it ran. */
  async record(engine: EngineHandle, result: ParityResult): Promise<void> {
    if (!result.passed) return;
    const id = await imageId(engine, result.image);
    if (!id) return;
    const platforms = this.passed.get(id) ?? new Set<Platform>();
    platforms.add(result.platform);
    this.passed.set(id, platforms);
  }

  /**
   * Resolves when `ref`'s image passed its `platform` parity run in this session, or `override` is set;
   * PARITY_FAILED otherwise (nothing is sent to the platform).
   */
  async require(engine: EngineHandle, ref: string, platform: Platform, override: boolean): Promise<void> {
    if (override) return;
    const id = await imageId(engine, ref);
    if (id && this.passed.get(id)?.has(platform)) return;
    throw new BerthError(
      'PARITY_FAILED',
      id
        ? `"${ref}" has not passed "Run as ${PLATFORM_NAME[platform]}" in this session, so the deploy waits.`
        : `"${ref}" is not on this engine, so Berth cannot tell whether it passed "Run as ${PLATFORM_NAME[platform]}".`,
      `Run it as ${PLATFORM_NAME[platform]} under Platform-parity runs first, or deploy anyway by overriding the parity check on purpose.`,
    );
  }
}
