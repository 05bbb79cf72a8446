import { inputInOrder } from './terminal-session';

/** A TTY whose resizes finish only when the test says so, recording what reached it, in order. */
function fakeTty() {
  const seen: string[] = [];
  const finishers: (() => void)[] = [];
  return {
    seen,
    finishResize: () => finishers.shift()?.(),
    tty: {
      write: (text: string) => {
        seen.push(`data ${text}`);
      },
      resize: ({ cols, rows }: { cols: number; rows: number }) =>
        new Promise<void>((resolve) => {
          finishers.push(() => {
            seen.push(`resized ${cols}x${rows}`);
            resolve();
          });
        }),
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("a terminal's input", () => {
  it('goes straight to the shell while no resize is in flight', () => {
    const { tty, seen } = fakeTty();
    const send = inputInOrder(tty);
    send({ kind: 'data', data: 'ls\r' });
    expect(seen).toEqual(['data ls\r']);
  });

  it('reaches the shell after a resize sent before it has taken effect, in the order sent', async () => {
    const { tty, seen, finishResize } = fakeTty();
    const send = inputInOrder(tty);
    send({ kind: 'resize', cols: 132, rows: 43 });
    send({ kind: 'data', data: 'stty size\r' });
    send({ kind: 'resize', cols: 100, rows: 30 });
    send({ kind: 'data', data: 'again\r' });
    await settle();
    expect(seen).toEqual([]);
    finishResize();
    await settle();
    expect(seen).toEqual(['resized 132x43', 'data stty size\r']);
    finishResize();
    await settle();
    expect(seen).toEqual(['resized 132x43', 'data stty size\r', 'resized 100x30', 'data again\r']);
    send({ kind: 'data', data: 'x' });
    expect(seen.at(-1)).toBe('data x');
  });

  it('keeps going after a resize that fails (a shell that has just exited)', async () => {
    const seen: string[] = [];
    const send = inputInOrder({
      write: (text) => {
        seen.push(text);
      },
      resize: () => Promise.reject(new Error('gone')),
    });
    send({ kind: 'resize', cols: 80, rows: 24 });
    send({ kind: 'data', data: 'exit\r' });
    await settle();
    expect(seen).toEqual(['exit\r']);
  });
});
