import type { KeyboardEvent } from 'react';
import { Button } from '../ui/Button';
import type { SearchMode } from './log-search';

interface LogSearchBarProps {
  query: string;
  mode: SearchMode;
  error: string | null;
  matchCount: number;
  currentMatch: number | null;
  onQuery: (query: string) => void;
  onMode: (mode: SearchMode) => void;
  onStep: (direction: 1 | -1) => void;
}

/** Search box (text or regex) with the number of matching lines and next/previous. */
export function LogSearchBar({
  query,
  mode,
  error,
  matchCount,
  currentMatch,
  onQuery,
  onMode,
  onStep,
}: LogSearchBarProps) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      onStep(event.shiftKey ? -1 : 1);
    }
  };
  return (
    <div className="log-search">
      <input
        type="search"
        data-search
        aria-label="Search logs"
        placeholder={mode === 'regex' ? 'Regular expression  ( / )' : 'Search  ( / )'}
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'log-search-error' : undefined}
        spellCheck={false}
      />
      <label>
        <input
          type="checkbox"
          checked={mode === 'regex'}
          onChange={(e) => onMode(e.target.checked ? 'regex' : 'text')}
        />{' '}
        Regex
      </label>
      {query && !error && (
        <output aria-label="Search matches">
          {matchCount === 0
            ? 'no matching lines'
            : `${currentMatch === null || currentMatch < 0 ? '' : `${currentMatch + 1} of `}${matchCount} matching line${matchCount === 1 ? '' : 's'}`}
        </output>
      )}
      <Button size="small" onClick={() => onStep(-1)} disabled={matchCount === 0} aria-label="Previous match">
        ↑
      </Button>
      <Button size="small" onClick={() => onStep(1)} disabled={matchCount === 0} aria-label="Next match">
        ↓
      </Button>
      {error && (
        <small id="log-search-error" className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
