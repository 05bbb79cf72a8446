import { describe, expect, it } from 'vitest';
import type { BuildModel } from '../../contract';
import { cacheFigures } from './cache-figures';

const step = (instruction: string, state: BuildModel['steps'][number]['state']) =>
  ({ instruction, state }) as BuildModel['steps'][number];

describe('cacheFigures', () => {
  it('counts a FROM reported done as reused, leaves metadata out, and lists the rebuilt steps', () => {
    const model = {
      steps: [
        step('FROM ${NODE_IMAGE} AS build', 'done'),
        step('WORKDIR /app', 'cached'),
        step('ENV PORT=5000', 'metadata'),
        step('COPY service/src ./src', 'done'),
        step('RUN npm run build', 'done'),
      ],
    } as BuildModel;
    expect(cacheFigures(model)).toEqual({
      cachedSteps: 2,
      totalSteps: 4,
      missed: ['COPY service/src ./src', 'RUN npm run build'],
    });
  });
});
