import { useState } from 'react';
import type { TerminalShell } from '../../electron/contract';
import { TerminalPanel } from '../terminal/TerminalPanel';

const SHELLS: { value: TerminalShell; label: string }[] = [
  { value: 'auto', label: 'bash if present, else sh' },
  { value: 'sh', label: 'sh' },
  { value: 'bash', label: 'bash' },
];

/** A terminal into a running container (exec with a TTY), with the shell to run; changing it opens a new one. */
export function ExecTerminal({ container, name, onClose }: { container: string; name: string; onClose: () => void }) {
  const [shell, setShell] = useState<TerminalShell>('auto');
  return (
    <div className="exec-terminal">
      <label className="exec-shell">
        Shell{' '}
        <select value={shell} onChange={(e) => setShell(e.target.value as TerminalShell)}>
          {SHELLS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <TerminalPanel target={{ kind: 'exec', container, shell }} title={`Terminal in ${name}`} onClose={onClose} />
    </div>
  );
}
