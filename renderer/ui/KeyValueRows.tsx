import { Button } from './Button';

export interface KeyValue {
  key: string;
  value: string;
}

interface KeyValueRowsProps {
  legend: string;
  /** Singular noun for the accessible names, e.g. "build arg" → "build arg 1 name". */
  noun: string;
  rows: KeyValue[];
  onChange: (rows: KeyValue[]) => void;
  errors?: Record<string, string | undefined>;
}

/** Editable name = value rows (build args, environment variables). */
export function KeyValueRows({ legend, noun, rows, onChange, errors }: KeyValueRowsProps) {
  const update = (index: number, patch: Partial<KeyValue>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="kv-rows">
      <legend>{legend}</legend>
      {rows.map((row, index) => {
        const error = row.key ? errors?.[row.key] : undefined;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
          <div className="kv-row" key={index}>
            <input
              aria-label={`${noun} ${index + 1} name`}
              value={row.key}
              placeholder="NAME"
              onChange={(e) => update(index, { key: e.target.value })}
              aria-invalid={error ? true : undefined}
            />
            <span aria-hidden="true">=</span>
            <input
              aria-label={`${noun} ${index + 1} value`}
              value={row.value}
              placeholder="value"
              onChange={(e) => update(index, { value: e.target.value })}
            />
            <Button
              size="small"
              variant="ghost"
              aria-label={`Remove ${noun} ${index + 1}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              ✕
            </Button>
            {error && (
              <small className="field-error" role="alert">
                {error}
              </small>
            )}
          </div>
        );
      })}
      <Button size="small" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add {noun}
      </Button>
    </fieldset>
  );
}

export const toRecord = (rows: KeyValue[]): Record<string, string> =>
  Object.fromEntries(rows.filter((row) => row.key.trim() !== '').map((row) => [row.key.trim(), row.value]));

export const fromRecord = (record: Record<string, string>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));
