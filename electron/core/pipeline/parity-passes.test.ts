import type Dockerode from 'dockerode';
import type { ParityResult } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { ParityPasses } from './parity-passes';

// An engine written for the test: two tags of one image, a third tag of another, nothing else.
const ids: Record<string, string> = {
  'notas-iv:1': 'sha256:aaa',
  'notas-iv:latest': 'sha256:aaa',
  'notas-iv:2': 'sha256:bbb',
};
const engine = {
  endpoint: 'test',
  docker: {
    getImage: (ref: string) => ({
      inspect: async () => {
        if (!ids[ref]) throw Object.assign(new Error('no such image'), { statusCode: 404 });
        return { Id: ids[ref] };
      },
    }),
  } as unknown as Dockerode,
} as EngineHandle;

const result = (image: string, platform: 'heroku' | 'azure', passed: boolean) =>
  ({ image, platform, passed }) as ParityResult;

describe('the parity runs a deploy outside the pipeline waits for', () => {
  it('lets a deploy through only for the image and platform that passed, by image id', async () => {
    const passes = new ParityPasses();
    await passes.record(engine, result('notas-iv:1', 'heroku', true));
    await passes.record(engine, result('notas-iv:2', 'heroku', false));
    await expect(passes.require(engine, 'notas-iv:latest', 'heroku', false)).resolves.toBeUndefined();
    await expect(passes.require(engine, 'notas-iv:1', 'azure', false)).rejects.toMatchObject({
      code: 'PARITY_FAILED',
      message: expect.stringContaining('Run as Azure'),
      fix: expect.stringContaining('overriding the parity check'),
    });
    await expect(passes.require(engine, 'notas-iv:2', 'heroku', false)).rejects.toMatchObject({
      code: 'PARITY_FAILED',
    });
  });

  it('an override on purpose lets any deploy through; an image not on the engine cannot be vouched for', async () => {
    const passes = new ParityPasses();
    await expect(passes.require(engine, 'notas-iv:2', 'heroku', true)).resolves.toBeUndefined();
    await expect(passes.require(engine, 'user/elsewhere:1', 'azure', false)).rejects.toMatchObject({
      code: 'PARITY_FAILED',
      message: expect.stringContaining('not on this engine'),
    });
  });
});
