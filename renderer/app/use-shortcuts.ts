import { useEffect, useRef } from 'react';
import { VIEWS, type ViewId } from './routes';
import { isTyping } from './shortcuts';

interface ShortcutActions {
  go: (view: ViewId) => void;
  toggleHelp: () => void;
  focusSearch: () => void;
}

/** Global keys: g b/i/c/l/s and Alt+1..5 switch views, `/` focuses search, `?` toggles help. */
export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    let pendingG = 0;
    const onKey = (event: KeyboardEvent) => {
      const { go, toggleHelp, focusSearch } = latest.current;
      if (event.altKey && !event.ctrlKey && !event.metaKey && /^Digit[1-5]$/.test(event.code)) {
        const view = VIEWS[Number(event.code.slice(5)) - 1];
        if (view) {
          event.preventDefault();
          go(view.id);
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === '?') {
        event.preventDefault();
        toggleHelp();
      } else if (event.key === '/') {
        event.preventDefault();
        focusSearch();
      } else if (event.key === 'g') {
        pendingG = Date.now();
      } else if (pendingG && Date.now() - pendingG < 1500) {
        const view = VIEWS.find((v) => v.key === event.key);
        pendingG = 0;
        if (view) {
          event.preventDefault();
          go(view.id);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
