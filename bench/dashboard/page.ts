/**
 * The page side of the dashboard measurements. In-page code is passed to Playwright as strings: tsx's transform
 * may add helpers (`__name`) to functions, which do not exist in the page.
 */
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from '../../e2e/browser';
import { notes, sleep, withTimeout } from './setup';

/** Engine bar says connected and the Build view's "Start build" is enabled. */
export const READY = `(() => {
  const state = document.querySelector('output[aria-label="Engine connection"]');
  if (!state || state.textContent.trim().toLowerCase() !== 'connected') return false;
  const button = [...document.querySelectorAll('button')].find((b) => /^Start build/.test(b.textContent.trim()));
  return !!button && !button.disabled;
})()`;

/** Counts what arrives on the stream WebSocket: messages, characters, log lines (one "text" key each, or a batch's "streams" column), closes. */
export const WS_PROBE = `(() => {
  const probe = { messages: 0, chars: 0, lines: 0, closes: [], newestT: 0 };
  window.__benchWs = probe;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        const data = event.data;
        if (typeof data !== 'string') return;
        probe.messages++;
        probe.chars += data.length;
        let at = data.indexOf('"text":"');
        while (at !== -1) { probe.lines++; at = data.indexOf('"text":"', at + 8); }
        // A log batch's lines: one character each in its "streams" column.
        const streams = data.indexOf('"streams":"');
        if (streams !== -1) probe.lines += data.indexOf('"', streams + 11) - (streams + 11);
        const stamp = data.lastIndexOf(' t=');
        if (stamp !== -1) probe.newestT = Number(data.slice(stamp + 3, stamp + 16)) || probe.newestT;
      });
      this.addEventListener('close', (event) => probe.closes.push(event.code));
    }
  };
})()`;

/** Lines the Logs view holds, lines it dropped (the notice), whether the stream ended, and the WS counters. */
export const VIEW_STATE = `(() => {
  const number = (text) => Number((text || '').replace(/[^0-9]/g, '') || 0);
  const status = document.querySelector('.log-status')?.textContent || '';
  const held = number(/^([0-9,]+) lines/.exec(status)?.[1]);
  const dropped = number(/^([0-9,]+) older lines/.exec(document.querySelector('.log-dropped')?.textContent || '')?.[1]);
  let newest = null;
  let newestIndex = -1;
  for (const row of document.querySelectorAll('[role="log"] .log-line')) {
    const index = Number(row.getAttribute('data-index'));
    if (index > newestIndex) { newestIndex = index; newest = row.textContent; }
  }
  const stamp = /t=([0-9]{13})/.exec(newest || '');
  const viewport = document.querySelector('[role="log"]');
  const followBox = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Follow')?.querySelector('input');
  return {
    held, dropped, total: held + dropped, ended: /stream ended/.test(status), status,
    newestAgeMs: stamp ? Date.now() - Number(stamp[1]) : null,
    newestIndex,
    follow: followBox ? followBox.checked : null,
    fromBottomPx: viewport ? viewport.scrollHeight - viewport.scrollTop - viewport.clientHeight : null,
    wsAgeMs: window.__benchWs?.newestT ? Date.now() - window.__benchWs.newestT : null,
    ws: { ...window.__benchWs, closes: [...(window.__benchWs?.closes || [])] },
    at: performance.now(),
  };
})()`;

export interface ViewState {
  held: number;
  dropped: number;
  total: number;
  ended: boolean;
  status: string;
  newestAgeMs: number | null;
  newestIndex: number;
  follow: boolean | null;
  fromBottomPx: number | null;
  /** Age of the newest line that arrived on the WebSocket (whether or not it is on screen yet). */
  wsAgeMs: number | null;
  ws: { messages: number; chars: number; lines: number; closes: number[] };
  at: number;
}

export interface Frames {
  count: number;
  p50: number;
  p95: number;
  max: number;
  over50: number;
  start: ViewState;
  end: ViewState;
  ages: number[];
  wsAges: number[];
  wallMs: number;
}

/**
 * Collects requestAnimationFrame deltas for `windowMs`, sampling the view state at both ends and the newest
 * line's age every 500 ms; `scrollPx` > 0 scrolls the log viewport up by that much every frame.
 */
const FRAMES = (windowMs: number, scrollPx = 0) => `new Promise((resolve) => {
  const state = () => ${VIEW_STATE};
  const start = state();
  const deltas = [];
  const ages = [];
  const viewport = document.querySelector('[role="log"]');
  const wsAges = [];
  const sampler = setInterval(() => {
    const s = state();
    if (s.newestAgeMs !== null) ages.push(s.newestAgeMs);
    if (s.wsAgeMs !== null) wsAges.push(s.wsAgeMs);
  }, 500);
  let last = performance.now();
  const until = last + ${windowMs};
  const tick = (now) => {
    deltas.push(now - last);
    last = now;
    if (${scrollPx} > 0 && viewport) viewport.scrollTop = Math.max(0, viewport.scrollTop - ${scrollPx});
    if (now < until) { requestAnimationFrame(tick); return; }
    clearInterval(sampler);
    const sorted = [...deltas].sort((a, b) => a - b);
    const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] || 0;
    const end = state();
    resolve({ count: deltas.length, p50: pick(0.5), p95: pick(0.95), max: sorted[sorted.length - 1] || 0,
      over50: deltas.filter((d) => d > 50).length, start, end, ages, wsAges, wallMs: end.at - start.at });
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
})`;

/**
 * Resolves once READY holds, checked every animation frame inside the page. Not `waitForFunction`: the app's
 * CSP (script-src 'self') forbids the eval it uses for string predicates; `evaluate` goes through CDP.
 * Retried when a navigation replaces the document while waiting.
 */
export async function waitReady(page: Page, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  const script = `new Promise((resolve) => {
    const check = () => (${READY} ? resolve(true) : requestAnimationFrame(check));
    check();
  })`;
  for (;;) {
    const left = until - performance.now();
    if (left <= 0) throw new Error('the dashboard did not become interactive in time');
    try {
      await withTimeout(page.evaluate(script), left, 'dashboard ready');
      return;
    } catch (error) {
      if (!/context was destroyed|navigat|Target closed/i.test(String(error))) throw error;
      await sleep(5);
    }
  }
}

export async function viewState(page: Page): Promise<ViewState> {
  return (await page.evaluate(VIEW_STATE)) as ViewState;
}

export async function frames(page: Page, windowMs: number, scrollPx = 0): Promise<Frames> {
  return (await withTimeout(page.evaluate(FRAMES(windowMs, scrollPx)), windowMs + 30_000, 'frame sample')) as Frames;
}

export function watchPage(page: Page, phase: string): void {
  page.on('pageerror', (error) => notes.push(`${phase}: page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      const url = new URL(response.url());
      notes.push(`${phase}: HTTP ${response.status()} for ${url.pathname}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') notes.push(`${phase}: console error: ${message.text().slice(0, 300)}`);
  });
}

/** A new page signed in at `url`, the WebSocket probe (and any `probes` of the caller) in place before any script. */
export async function openDashboard(
  launched: LaunchedBrowser,
  url: string,
  phase: string,
  probes: string[] = [],
): Promise<Page> {
  const page = await launched.browser.newPage();
  watchPage(page, phase);
  for (const probe of [WS_PROBE, ...probes]) await page.addInitScript(probe);
  await page.goto(url, { timeout: 20_000 });
  await waitReady(page);
  return page;
}

export async function openLogsOf(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Logs' }).click({ timeout: 10_000 });
  await page
    .getByRole('combobox', { name: 'Container' })
    .selectOption({ label: `${name} (running)` }, { timeout: 15_000 });
  await page.getByRole('log', { name: 'Log lines' }).waitFor({ timeout: 10_000 });
}

// ───────────────────────────── CDP memory ─────────────────────────────

export async function jsHeap(page: Page, collect: boolean): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    if (collect) {
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
    }
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Starts logging every frame's delta in the page until `stopFrameLog`. */
export async function startFrameLog(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const deltas = []; window.__benchFrames = deltas; window.__benchFramesStop = false; let last = performance.now();
    const tick = (now) => { deltas.push(now - last); last = now; if (!window.__benchFramesStop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
}

export type FrameSummary = Pick<Frames, 'count' | 'p50' | 'p95' | 'max' | 'over50'>;

export async function stopFrameLog(page: Page): Promise<FrameSummary> {
  return (await page.evaluate(`(() => {
    window.__benchFramesStop = true;
    const sorted = [...window.__benchFrames].sort((a, b) => a - b);
    const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] || 0;
    return { count: sorted.length, p50: pick(0.5), p95: pick(0.95), max: sorted[sorted.length - 1] || 0,
      over50: sorted.filter((d) => d > 50).length };
  })()`)) as FrameSummary;
}
