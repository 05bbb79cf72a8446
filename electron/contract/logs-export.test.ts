import { describe, expect, it } from 'vitest';
import { exportFileName } from './logs-export';

describe('exportFileName', () => {
  it('keeps only safe characters, and names JSON lines .jsonl', () => {
    const at = Date.UTC(2026, 10, 30, 16, 5, 9, 123);
    expect(exportFileName('web', 'text', at)).toBe('web-20261130T160509Z.log');
    expect(exportFileName('../../etc/"passwd";\r\n', 'jsonl', at)).toBe('etc-passwd-20261130T160509Z.jsonl');
    expect(exportFileName('', 'text', at)).toBe('logs-20261130T160509Z.log');
  });
});
