import { historyLines, type RecordedStep } from './history-lines';

const step = (index: number, line: number, instruction: string, stage = 'stage-0'): RecordedStep => ({
  index,
  stage,
  instruction,
  line,
});

describe('history entries to Dockerfile lines', () => {
  it('matches the final stage from the top down and leaves the base image unmatched', () => {
    const steps = [
      step(0, 1, 'FROM node AS deps', 'deps'),
      step(1, 2, 'WORKDIR /app', 'deps'),
      step(2, 4, 'FROM node', 'stage-1'),
      step(3, 5, 'WORKDIR /app', 'stage-1'),
      step(4, 6, 'COPY . .', 'stage-1'),
      step(5, 7, 'RUN npm ci', 'stage-1'),
      step(6, 8, 'CMD ["node", "a.js"]', 'stage-1'),
    ];
    const history = [
      'ENV PATH=/bin',
      'CMD ["sh"]',
      'WORKDIR /app',
      'COPY file:ab12 in .',
      'RUN npm ci',
      'CMD ["node", "a.js"]',
    ];
    expect(historyLines(history, steps)).toEqual([null, null, 5, 6, 7, 8]);
  });

  it('skips a step that left no history (ARG under BuildKit)', () => {
    const steps = [
      step(0, 1, 'FROM x'),
      step(1, 2, 'ARG V=1'),
      step(2, 3, 'RUN make'),
      step(3, 4, 'ARG W'),
      step(4, 5, 'USER app'),
    ];
    expect(historyLines(['RUN a', 'RUN make', 'USER app'], steps)).toEqual([null, 3, 5]);
  });

  it('gives no lines without recorded steps', () => {
    expect(historyLines(['RUN a'], [])).toEqual([null]);
  });
});
