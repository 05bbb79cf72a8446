/** Human sizes in powers of 1000, the way `docker images` prints them: 1.2 kB, 45.3 MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** Durations: 850 ms, 4.2 s, 1 min 05 s, 2 h 03 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * A container's uptime in whole seconds, the coarsest two units: 4 s, 3 min 05 s, 2 h 03 min, 1 d 02 h.
 * A start time slightly ahead of this clock (the engine's, or a render between ticks) reads as 0 s.
 */
export function formatUptime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (minutes < 60) return `${minutes} min ${pad(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${pad(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${pad(hours % 24)} h`;
}

/** "just now", "5 minutes ago", "3 days ago", relative to `now`. */
export function relativeTime(at: number, now: number = Date.now()): string {
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 0) return 'in the future';
  if (seconds < 45) return 'just now';
  const steps: [number, string][] = [
    [60, 'minute'],
    [60, 'hour'],
    [24, 'day'],
    [30, 'month'],
    [12, 'year'],
  ];
  let value = seconds / 60;
  let unit = 'minute';
  for (let i = 1; i < steps.length; i++) {
    const [size, name] = steps[i] as [number, string];
    if (value < size) break;
    value /= size;
    unit = name;
  }
  const n = Math.max(1, Math.round(value));
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** sha256:abcdef... → abcdef123456 (12 hex digits, like the docker CLI). */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
