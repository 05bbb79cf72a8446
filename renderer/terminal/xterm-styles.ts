/**
 * xterm.js styles itself with <style> elements it fills at run time (cell sizes, theme colours). Berth's
 * Content-Security-Policy (`style-src 'self'`) rightly refuses inline <style> elements, so this copies each
 * of them, as it changes, into a constructed stylesheet: those are made by script already allowed to run and
 * are not inline markup, so the policy stays strict and the terminal is still drawn right.
 */
export function mirrorInlineStyles(roots: Node[]): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const adopt = (): void => {
    const ours = new Set(sheets.values());
    document.adoptedStyleSheets = [...document.adoptedStyleSheets.filter((s) => !ours.has(s)), ...ours];
  };
  const sync = (): void => {
    let changed = false;
    for (const root of roots) {
      for (const style of (root as ParentNode).querySelectorAll?.('style') ?? []) {
        let sheet = sheets.get(style);
        if (!sheet) {
          sheet = new CSSStyleSheet();
          sheets.set(style, sheet);
          changed = true;
        }
        sheet.replaceSync(style.textContent ?? '');
      }
    }
    for (const style of [...sheets.keys()]) {
      if (!style.isConnected) {
        sheets.delete(style);
        changed = true;
      }
    }
    if (changed) adopt();
  };
  const observer = new MutationObserver(sync);
  for (const root of roots) observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    sheets.clear();
    adopt();
  };
}
