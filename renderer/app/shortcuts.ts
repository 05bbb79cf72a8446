import { VIEWS } from './routes';

export const SHORTCUTS: { keys: string; does: string }[] = [
  ...VIEWS.map((v, i) => ({ keys: `g ${v.key}  or  Alt+${i + 1}`, does: `Go to ${v.label}` })),
  { keys: 'Ctrl+Enter', does: 'Start the build (in Build)' },
  { keys: '/', does: 'Focus the search or filter box of the view' },
  { keys: '?', does: 'Show or hide this help' },
  { keys: 'Escape', does: 'Close a dialog or this help' },
  { keys: 'Shift+Escape', does: 'Leave a terminal (in a terminal, every other key, Escape too, goes to the shell)' },
];

/** True when the key press is meant for a text field, not for a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}
