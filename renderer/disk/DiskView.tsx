import { useState } from 'react';
import type { CleanupKind, DiskCategory, DiskUsage } from '../../electron/contract';
import { useProcedure } from '../app/use-procedure';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { type Column, Table } from '../ui/Table';
import { BuildRetention } from './BuildRetention';
import { CleanupDialog } from './CleanupDialog';
import './disk.css';

interface Row {
  key: keyof Omit<DiskUsage, 'takenAt'>;
  label: string;
  row: DiskCategory;
}

const ROWS: Array<{ key: Row['key']; label: string }> = [
  { key: 'images', label: 'Images' },
  { key: 'containers', label: 'Containers' },
  { key: 'volumes', label: 'Volumes' },
  { key: 'buildCache', label: 'Build cache' },
];

export const CLEANUPS: Array<{ kind: CleanupKind; label: string; what: string }> = [
  { kind: 'dangling-images', label: 'Dangling images', what: 'untagged images no container uses' },
  { kind: 'stopped-containers', label: 'Stopped containers', what: 'exited and created containers' },
  { kind: 'unused-volumes', label: 'Unused volumes', what: 'volumes no container refers to' },
  { kind: 'build-cache', label: 'Old build cache', what: 'build cache not used for N days' },
];

/** Disk: what images, containers, volumes and build cache take (the engine's system/df), and clean-ups. */
export function DiskView() {
  const usage = useProcedure('disk.usage', {});
  const [cleaning, setCleaning] = useState<CleanupKind | null>(null);
  const [freed, setFreed] = useState<string | null>(null);
  const data = usage.data;
  const rows: Row[] = data ? ROWS.map((r) => ({ ...r, row: data[r.key] })) : [];
  const columns: Column<Row>[] = [
    { key: 'type', header: 'Type', cell: (r) => r.label },
    { key: 'total', header: 'Total', cell: (r) => r.row.total, align: 'end' },
    { key: 'active', header: 'In use', cell: (r) => r.row.active, align: 'end' },
    { key: 'size', header: 'Size', cell: (r) => formatBytes(r.row.sizeBytes), align: 'end' },
    {
      key: 'reclaimable',
      header: 'Reclaimable',
      align: 'end',
      cell: (r) => (
        <span className="disk-reclaimable">
          {formatBytes(r.row.reclaimableBytes)}
          <span
            className="disk-bar"
            aria-hidden="true"
            style={{ width: `${r.row.sizeBytes > 0 ? (100 * r.row.reclaimableBytes) / r.row.sizeBytes : 0}%` }}
          />
        </span>
      ),
    },
  ];
  return (
    <section className="disk-view">
      <header className="view-header">
        <h1>Disk</h1>
        <Button onClick={usage.reload} disabled={usage.status === 'loading'}>
          Refresh
        </Button>
      </header>
      {usage.status === 'loading' && !data && (
        <Spinner label="Reading disk usage (the engine adds up every layer; this can take a while)" />
      )}
      {usage.error && <ErrorNotice error={usage.error} />}
      {data && <Table label="Disk usage" columns={columns} rows={rows} rowKey={(r) => r.key} />}
      {freed && (
        <p role="status" className="disk-freed">
          {freed}
        </p>
      )}
      <h2>Clean-ups</h2>
      <p className="disk-hint">
        Each clean-up first lists exactly what it will remove; nothing goes before you confirm.
      </p>
      <ul className="disk-cleanups">
        {CLEANUPS.map((c) => (
          <li key={c.kind}>
            <Button onClick={() => setCleaning(c.kind)}>{c.label}…</Button> <span>{c.what}</span>
          </li>
        ))}
      </ul>
      <BuildRetention />
      {cleaning && (
        <CleanupDialog
          kind={cleaning}
          onClose={() => setCleaning(null)}
          onCleaned={(message) => {
            setCleaning(null);
            setFreed(message);
            usage.reload();
          }}
        />
      )}
    </section>
  );
}
