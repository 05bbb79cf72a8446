import { useState } from 'react';
import type { ContainerSummary, ErrorShape } from '../../electron/contract';
import { useNavigation } from '../app/navigation';
import { useProcedure } from '../app/use-procedure';
import { useEngineEvents } from '../engine/engine-context';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { shortId } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { type Column, Table } from '../ui/Table';
import { ComposeGroups } from './ComposeGroups';
import { ContainerActions } from './ContainerActions';
import { HealthBadge, StateBadge } from './ContainerStateBadges';
import { EditContainerDialog } from './EditContainerDialog';
import { ExecTerminal } from './ExecTerminal';
import { FilesDialog } from './FilesDialog';
import { PortLink } from './PortLink';
import { RemoveContainerDialog } from './RemoveContainerDialog';
import { RunForm } from './RunForm';
import { RunResult } from './RunResult';
import { StatsCell } from './StatsCell';
import { Uptime } from './Uptime';
import './containers.css';

/** Containers: live list with links to their ports, actions, and the run form. */
export function ContainersView() {
  const containers = useProcedure('containers.list', {});
  const images = useProcedure('images.list', {});
  useEngineEvents('container', containers.reload);
  useEngineEvents('image', images.reload);
  const { route } = useNavigation();
  const [actionError, setActionError] = useState<ErrorShape | null>(null);
  const [terminal, setTerminal] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<ContainerSummary | null>(null);
  const [editing, setEditing] = useState<ContainerSummary | null>(null);
  const [browsing, setBrowsing] = useState<ContainerSummary | null>(null);
  const [started, setStarted] = useState<ContainerSummary | null>(null);

  const list = containers.data ?? [];
  const tags = (images.data ?? []).flatMap((i) => i.tags);
  const initialImage = route.params.image ?? tags.find((t) => t.startsWith('notas-iv')) ?? '';
  const live = started ? (list.find((c) => c.id === started.id) ?? started) : null;

  const columns: Column<ContainerSummary>[] = [
    { key: 'name', header: 'Name', cell: (c) => <span className="mono cell-name">{c.name}</span> },
    { key: 'state', header: 'State', cell: (c) => <StateBadge state={c.state} /> },
    {
      key: 'image',
      header: 'Image',
      // A container made from a bare image id lists that 71-character id: show it the way `docker ps` does.
      cell: (c) =>
        c.image.startsWith('sha256:') ? (
          <span className="mono" title={c.image}>
            {shortId(c.image)}
          </span>
        ) : (
          <span className="mono cell-wrap">{c.image}</span>
        ),
    },
    { key: 'uptime', header: 'Uptime', cell: (c) => <Uptime container={c} /> },
    { key: 'health', header: 'Health', cell: (c) => <HealthBadge health={c.health} /> },
    { key: 'stats', header: 'Resources', cell: (c) => <StatsCell container={c} /> },
    {
      key: 'ports',
      header: 'Ports',
      cell: (c) =>
        c.ports.length === 0 ? (
          '—'
        ) : (
          <span className="port-list">
            {c.ports.map((p) => (
              <PortLink key={`${p.hostIp}:${p.hostPort}/${p.protocol}`} port={p} />
            ))}
          </span>
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      cell: (c) => (
        <ContainerActions
          container={c}
          onError={setActionError}
          onRemove={() => setRemoving(c)}
          onTerminal={() => setTerminal({ id: c.id, name: c.name })}
          onEdit={() => setEditing(c)}
          onFiles={() => setBrowsing(c)}
        />
      ),
    },
  ];

  return (
    <div className="containers-view">
      <h2>Containers</h2>
      {live && <RunResult container={live} />}
      {actionError && <ErrorNotice title="That did not work" error={actionError} />}
      {containers.status === 'loading' && !containers.data && <Spinner label="Loading containers" />}
      {containers.status === 'error' && <ErrorNotice title="Could not list containers" error={containers.error} />}
      {containers.status === 'data' && list.length === 0 && (
        <EmptyState title="No containers yet">
          Run an image with the form below (for example notas-iv:latest on PORT 5000).
        </EmptyState>
      )}
      {list.length > 0 && <Table label="Containers" columns={columns} rows={list} rowKey={(c) => c.id} />}
      {terminal && (
        <ExecTerminal
          key={terminal.id}
          container={terminal.id}
          name={terminal.name}
          onClose={() => setTerminal(null)}
        />
      )}
      <ComposeGroups />
      <RunForm imageTags={tags} initialImage={initialImage} onRun={setStarted} />
      {editing && <EditContainerDialog container={editing} onClose={() => setEditing(null)} />}
      {browsing && <FilesDialog container={browsing} onClose={() => setBrowsing(null)} />}
      {removing && <RemoveContainerDialog container={removing} onClose={() => setRemoving(null)} />}
    </div>
  );
}
