/** A view whose chunk does not arrive, or that throws, stays inside its boundary: never a blank page. */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Suspense, useState } from 'react';
import { ViewBoundary } from './ViewBoundary';
import { lazyView, loadWithRetry, RELOAD_QUIET_MS, RELOADED_AT_KEY, reloadOnce, ViewLoadError } from './view-loading';

class Memory {
  readonly values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
}

/** A view that throws once its button is pressed. */
function Flaky() {
  const [clicked, setClicked] = useState(false);
  if (clicked) throw new Error('list.map is not a function');
  return (
    <button type="button" onClick={() => setClicked(true)}>
      break
    </button>
  );
}

const networkChanged = () => new TypeError('Failed to fetch dynamically imported module: /assets/BuildView.js');
const noWait = () => Promise.resolve();

describe('loadWithRetry', () => {
  it('tries again after each wait and returns the first success', async () => {
    let calls = 0;
    const waited: number[] = [];
    const value = await loadWithRetry(
      async () => {
        calls++;
        if (calls < 3) throw networkChanged();
        return 'loaded';
      },
      [5, 7],
      async (ms) => {
        waited.push(ms);
      },
    );
    expect(value).toBe('loaded');
    expect(calls).toBe(3);
    expect(waited).toEqual([5, 7]);
  });

  it('gives up after the last wait with a ViewLoadError in the browser’s words', async () => {
    let calls = 0;
    const failure = loadWithRetry(
      async () => {
        calls++;
        throw networkChanged();
      },
      [1, 1],
      noWait,
    );
    await expect(failure).rejects.toBeInstanceOf(ViewLoadError);
    await expect(failure).rejects.toThrow(/view’s code did not load: Failed to fetch dynamically imported module/);
    expect(calls).toBe(3);
  });
});

describe('reloadOnce', () => {
  it('reloads when it has not reloaded lately, and remembers when', () => {
    const memory = new Memory();
    let reloads = 0;
    expect(reloadOnce(memory, 1_000_000, () => reloads++)).toBe(true);
    expect(reloads).toBe(1);
    expect(memory.getItem(RELOADED_AT_KEY)).toBe('1000000');
  });

  it('does not reload again within the quiet time, and does after it', () => {
    const memory = new Memory();
    memory.setItem(RELOADED_AT_KEY, '1000000');
    let reloads = 0;
    expect(reloadOnce(memory, 1_000_000 + RELOAD_QUIET_MS - 1, () => reloads++)).toBe(false);
    expect(reloads).toBe(0);
    expect(reloadOnce(memory, 1_000_000 + RELOAD_QUIET_MS, () => reloads++)).toBe(true);
    expect(reloads).toBe(1);
  });

  it('never reloads without a memory, or when the memory refuses', () => {
    let reloads = 0;
    expect(reloadOnce(undefined, 5, () => reloads++)).toBe(false);
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(reloadOnce(refusing, 5, () => reloads++)).toBe(false);
    expect(reloads).toBe(0);
  });
});

describe('ViewBoundary', () => {
  // React reports every error a boundary catches on console.error; these are the errors under test.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function failingView() {
    let calls = 0;
    const View = lazyView(async () => {
      calls++;
      throw networkChanged();
    });
    return { View, calls: () => calls };
  }

  /** The Build view, whose code never arrives, in its boundary; counts the page reloads it asks for. */
  function renderFailingView(memory: Memory) {
    const { View, calls } = failingView();
    const shown = { reloads: 0, calls };
    render(
      <ViewBoundary label="Build" memory={memory} reload={() => shown.reloads++}>
        <Suspense fallback={<p>loading</p>}>
          <View />
        </Suspense>
      </ViewBoundary>,
    );
    return shown;
  }

  it('reloads the page once when a view’s code does not arrive', async () => {
    const shown = renderFailingView(new Memory());
    expect(await screen.findByRole('status', { name: /Reloading to fetch Build again/ })).toBeInTheDocument();
    expect(shown.reloads).toBe(1);
    expect(shown.calls()).toBe(3); // the first try and one per wait, before giving up
  });

  it('after a recent self-reload, shows the error with its fix and a Reload button instead of a loop', async () => {
    const memory = new Memory();
    memory.setItem(RELOADED_AT_KEY, String(Date.now()));
    const shown = renderFailingView(memory);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Build did not load.');
    expect(alert).toHaveTextContent('Failed to fetch dynamically imported module');
    expect(alert).toHaveTextContent('Fix: Reload the page.');
    expect(shown.reloads).toBe(0);
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(shown.reloads).toBe(1);
  });

  it('keeps any other error inside the view, with Try again that renders it afresh', async () => {
    render(
      <>
        <nav aria-label="Views">still here</nav>
        <ViewBoundary label="Images" memory={new Memory()} reload={() => {}}>
          <Flaky />
        </ViewBoundary>
      </>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'break' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Images stopped with an error.');
    expect(alert).toHaveTextContent('list.map is not a function');
    expect(screen.getByRole('navigation', { name: 'Views' })).toHaveTextContent('still here');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'break' })).toBeInTheDocument();
  });
});
