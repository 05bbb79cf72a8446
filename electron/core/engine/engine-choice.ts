/**
 * The engine the user chose in Berth, remembered across restarts in <dataDir>/engine.json (mode 0600):
 * only the context name, never an address or a secret. The docker CLI's own config is not touched.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_NAME } from '../../contract/ids';

export class EngineChoice {
  private readonly file: string;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, 'engine.json');
  }

  /** The remembered context name, or undefined (no file, unreadable, or not a valid name). */
  read(): string | undefined {
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as { context?: unknown };
      return typeof saved.context === 'string' && CONTEXT_NAME.test(saved.context) ? saved.context : undefined;
    } catch {
      return undefined;
    }
  }

  /** Remembers `context`, replacing the file atomically, readable by this user only. */
  write(context: string): void {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ context })}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600); // whatever the umask
    renameSync(temporary, this.file);
  }
}
