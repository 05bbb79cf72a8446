/**
 * Two checks a keyboard-only or dark-mode user makes without knowing it, run inside Chromium on one part of
 * the page:
 * - contrastProblems: every visible piece of text against the background it is drawn on (backgrounds
 *   composed up the ancestors, the element's opacity applied), by WCAG 2's contrast ratio: 4.5 for text,
 *   3 for large text. Disabled controls are exempt, as WCAG says.
 * - keyboardProblems: Tab from the first focusable element until focus leaves the part or comes back round:
 *   every focusable element must be reached, and each must show a focus ring (an outline or a box-shadow)
 *   of at least 3:1 against its background that no scrolling ancestor clips.
 * Each returns what it found wrong, one line each, so a failing test says what to fix.
 */
import type { Locator, Page } from 'playwright-core';

/** WCAG 2 (1.4.3): normal text 4.5:1; large text (24 px, or 18.66 px bold) 3:1. */
export const TEXT_CONTRAST = 4.5;
export const LARGE_TEXT_CONTRAST = 3;
/** WCAG 2 (1.4.11): a focus indicator against what is next to it, 3:1. */
export const FOCUS_CONTRAST = 3;

/** In the page: colour parsing, composition and the contrast ratio (serialised into evaluate). */
const COLOUR_MATH = `
  const parse = (text) => {
    let m = /^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/.exec(text);
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    m = /^color\\(srgb ([\\d.e-]+) ([\\d.e-]+) ([\\d.e-]+)(?: \\/ ([\\d.]+))?\\)$/.exec(text);
    if (m) return [Number(m[1]) * 255, Number(m[2]) * 255, Number(m[3]) * 255, m[4] === undefined ? 1 : Number(m[4])];
    return null;
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let colour = parse(getComputedStyle(document.body).backgroundColor) || [255, 255, 255, 1];
    if (colour[3] < 1) colour = over(colour, [255, 255, 255, 1]);
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const opacity = (el) => {
    let o = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) o *= Number(getComputedStyle(node).opacity);
    return o;
  };
  const luminance = (c) => {
    const lin = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const describe = (el) => {
    const name = el.getAttribute('aria-label') || (el.textContent || '').trim().slice(0, 40);
    return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + name + '"';
  };
`;

interface AuditHelpers {
  parse(text: string): number[] | null;
  over(top: number[], under: number[]): number[];
  background(el: Element): number[];
  opacity(el: Element): number;
  ratio(a: number[], b: number[]): number;
  hex(c: number[]): string;
  describe(el: Element): string;
}

/**
 * Puts the helpers on the page's window. A string expression goes through the DevTools protocol, which the
 * page's Content-Security-Policy (no eval) does not govern; the checks then read them from there.
 */
async function installHelpers(page: Page): Promise<void> {
  await page.evaluate(
    `window.__berthAudit = (() => { ${COLOUR_MATH}; return { parse, over, background, opacity, ratio, hex, describe }; })()`,
  );
}

/** Text in `root` whose contrast with its background is below WCAG AA. */
export async function contrastProblems(page: Page, root: Locator): Promise<string[]> {
  await installHelpers(page);
  return root.evaluate(
    (element, [text, large]) => {
      const helpers = (window as unknown as { __berthAudit: AuditHelpers }).__berthAudit;
      const problems: string[] = [];
      const all = [element, ...element.querySelectorAll('*')];
      for (const el of all) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
        if (!own) continue;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || style.visibility !== 'visible') continue;
        if ((el as HTMLButtonElement).disabled || el.closest('[disabled], [aria-disabled="true"]')) continue;
        const fg = helpers.parse(style.color);
        if (!fg) continue;
        const bg = helpers.background(el);
        const [r = 0, g = 0, b = 0, a = 1] = fg;
        const shown = helpers.over([r, g, b, a * helpers.opacity(el)], bg);
        const size = Number.parseFloat(style.fontSize);
        const bold = Number(style.fontWeight) >= 700;
        const need = size >= 24 || (bold && size >= 18.66) ? large : text;
        const got = helpers.ratio(shown, bg);
        if (got < need) {
          problems.push(
            `${helpers.describe(el)}: ${got.toFixed(2)}:1 (${helpers.hex(shown)} on ${helpers.hex(bg)}), needs ${need}:1`,
          );
        }
      }
      return problems;
    },
    [TEXT_CONTRAST, LARGE_TEXT_CONTRAST] as const,
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Elements of `root` that Tab does not reach, or that show no (or a clipped, or a faint) focus ring. */
export async function keyboardProblems(page: Page, root: Locator): Promise<{ reached: number; problems: string[] }> {
  await installHelpers(page);
  // A key first, so that Chromium treats the focus below as keyboard focus (:focus-visible), as Tab's is.
  await page.keyboard.press('Shift');
  const total = await root.evaluate((element, selector) => {
    const items = [...element.querySelectorAll<HTMLElement>(selector)].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility === 'visible';
    });
    items.forEach((el, i) => {
      el.dataset.auditTab = String(i);
    });
    items[0]?.focus();
    return items.length;
  }, FOCUSABLE);
  const problems: string[] = [];
  const seen = new Set<number>();
  for (let press = 0; press <= total + 2; press++) {
    const found = await page.evaluate((need) => {
      const helpers = (window as unknown as { __berthAudit: AuditHelpers }).__berthAudit;
      const el = document.activeElement as HTMLElement | null;
      if (!el || el.dataset.auditTab === undefined) return null;
      const style = getComputedStyle(el);
      const problems: string[] = [];
      const width = style.outlineStyle === 'none' ? 0 : Number.parseFloat(style.outlineWidth);
      const shadow = style.boxShadow !== 'none';
      if (width === 0 && !shadow) problems.push(`${helpers.describe(el)}: no focus ring`);
      if (width > 0) {
        const ring = helpers.parse(style.outlineColor);
        const around = helpers.background(el.parentElement ?? el);
        if (ring && helpers.ratio(ring, around) < need) {
          problems.push(`${helpers.describe(el)}: focus ring ${helpers.hex(ring)} on ${helpers.hex(around)} is faint`);
        }
        const reach = width + Math.max(0, Number.parseFloat(style.outlineOffset));
        const box = el.getBoundingClientRect();
        for (let node = el.parentElement; node; node = node.parentElement) {
          const s = getComputedStyle(node);
          if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
          const clip = node.getBoundingClientRect();
          const left = clip.left + node.clientLeft;
          const top = clip.top + node.clientTop;
          if (
            box.left - reach < left - 0.5 ||
            box.top - reach < top - 0.5 ||
            box.right + reach > left + node.clientWidth + 0.5 ||
            box.bottom + reach > top + node.clientHeight + 0.5
          ) {
            problems.push(`${helpers.describe(el)}: focus ring clipped by ${helpers.describe(node).split(' "')[0]}`);
          }
          break;
        }
      }
      return { index: Number(el.dataset.auditTab), problems };
    }, FOCUS_CONTRAST);
    if (found === null) break;
    if (seen.has(found.index) && press > 0) break;
    seen.add(found.index);
    problems.push(...found.problems);
    await page.keyboard.press('Tab');
  }
  const missed = await root.evaluate(
    (element, reached) => {
      const items = [...element.querySelectorAll<HTMLElement>('[data-audit-tab]')];
      const out = items
        .filter((el) => !reached.includes(Number(el.dataset.auditTab)))
        .map(
          (el) =>
            `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}": not reached by Tab`,
        );
      for (const el of items) delete el.dataset.auditTab;
      return out;
    },
    [...seen],
  );
  return { reached: seen.size, problems: [...problems, ...missed] };
}
