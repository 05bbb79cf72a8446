import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  header: string;
  cell: (row: Row) => ReactNode;
  sortable?: boolean;
  align?: 'start' | 'end';
}

export interface SortState {
  key: string;
  direction: 'ascending' | 'descending';
}

interface TableProps<Row> {
  label: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  sort?: SortState;
  onSort?: (key: string) => void;
  selectedKey?: string | null;
  onSelect?: (row: Row) => void;
}

/** A plain table with sortable column headers (buttons with aria-sort) and optional row selection. */
export function Table<Row>({ label, columns, rows, rowKey, sort, onSort, selectedKey, onSelect }: TableProps<Row>) {
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => {
            const sorted = sort?.key === column.key ? sort.direction : undefined;
            return (
              <th
                key={column.key}
                scope="col"
                aria-sort={sorted ?? 'none'}
                className={`align-${column.align ?? 'start'}`}
              >
                {column.sortable && onSort ? (
                  <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                    {column.header}
                    <span aria-hidden="true">
                      {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}
                    </span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const key = rowKey(row);
          const selected = selectedKey === key;
          return (
            <tr
              key={key}
              aria-selected={onSelect ? selected : undefined}
              className={selected ? 'selected' : undefined}
              onClick={onSelect ? () => onSelect(row) : undefined}
            >
              {columns.map((column) => (
                <td key={column.key} className={`align-${column.align ?? 'start'}`}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
