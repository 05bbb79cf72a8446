import { useState } from 'react';
import { Button } from '../ui/Button';

/** How a log view shows its lines: kept at the end as they come (follow), with or without timestamps. */
export function useLogDisplay() {
  const [follow, setFollow] = useState(true);
  const [showTimestamps, setShowTimestamps] = useState(false);
  return { follow, setFollow, showTimestamps, setShowTimestamps };
}
export type LogDisplay = ReturnType<typeof useLogDisplay>;

interface LogFollowControlsProps {
  /** From useLogStream: paused, how many lines wait, and pause/resume. */
  logs: { paused: boolean; waitingCount: number; pause: () => void; resume: () => void };
  display: LogDisplay;
  size?: 'normal' | 'small';
}

/** Pause or resume the stream (with the count of lines waiting), keep to the end (Follow), show timestamps. */
export function LogFollowControls({ logs, display, size = 'normal' }: LogFollowControlsProps) {
  const { follow, setFollow, showTimestamps, setShowTimestamps } = display;
  return (
    <>
      {logs.paused ? (
        <Button size={size} variant="primary" onClick={logs.resume}>
          Resume ({logs.waitingCount.toLocaleString('en')} new)
        </Button>
      ) : (
        <Button size={size} onClick={logs.pause}>
          Pause
        </Button>
      )}
      <label>
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
      </label>
      <label>
        <input type="checkbox" checked={showTimestamps} onChange={(e) => setShowTimestamps(e.target.checked)} />{' '}
        Timestamps
      </label>
    </>
  );
}
