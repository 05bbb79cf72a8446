import { instructionOf } from './instruction';

describe('the Dockerfile instruction behind created_by', () => {
  it.each([
    ['/bin/sh -c #(nop)  ENV APP_HOME=/app', 'ENV APP_HOME=/app'],
    ['/bin/sh -c #(nop) WORKDIR /app', 'WORKDIR /app'],
    ['/bin/sh -c #(nop)  CMD ["node" "-e" "1"]', 'CMD ["node" "-e" "1"]'],
    ['/bin/sh -c #(nop) COPY file:450a4c in ./ ', 'COPY file:450a4c in ./'],
    ['/bin/sh -c #(nop) ADD file:e4d6 in / ', 'ADD file:e4d6 in /'],
    ['/bin/sh -c npm ci --omit=dev', 'RUN npm ci --omit=dev'],
    ['|1 GREETING=hello /bin/sh -c echo "$GREETING" > greeting.txt', 'RUN echo "$GREETING" > greeting.txt'],
    ['|2 A=1 B= /bin/sh -c make all', 'RUN make all'],
    ['RUN /bin/sh -c npm ci # buildkit', 'RUN npm ci'],
    ['RUN |1 GREETING=hello /bin/sh -c echo "$GREETING" > g.txt # buildkit', 'RUN echo "$GREETING" > g.txt'],
    ['COPY hello.txt ./ # buildkit', 'COPY hello.txt ./'],
    ['COPY --from=build /src/dist ./dist # buildkit', 'COPY --from=build /src/dist ./dist'],
    ['ENV APP_HOME=/app', 'ENV APP_HOME=/app'],
    ['EXPOSE map[5000/tcp:{}]', 'EXPOSE map[5000/tcp:{}]'],
    ['/bin/bash -c set -e; make', 'RUN set -e; make'],
    ['cmd /S /C #(nop)  ENV X=1', 'ENV X=1'],
    ['cmd /S /C dir', 'RUN dir'],
    ['', ''],
  ])('%j → %j', (createdBy, instruction) => {
    expect(instructionOf(createdBy)).toBe(instruction);
  });

  it('keeps a RUN that mentions "# buildkit" in the middle', () => {
    expect(instructionOf('RUN /bin/sh -c echo "# buildkit is here" # buildkit')).toBe('RUN echo "# buildkit is here"');
  });

  it('gives "" for a missing created_by (an imported layer)', () => {
    expect(instructionOf(undefined)).toBe('');
  });
});
