import { useState } from 'react';
import type { ImageSummary } from '../../electron/contract';
import { useNavigation } from '../app/navigation';
import { useProcedure } from '../app/use-procedure';
import { useEngineEvents } from '../engine/engine-context';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes, relativeTime, shortId } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { type Column, type SortState, Table } from '../ui/Table';
import { LayerExplorer } from './LayerExplorer';
import { LayersPanel } from './LayersPanel';
import { PruneDialog } from './PruneDialog';
import { RemoveImageDialog } from './RemoveImageDialog';
import { imageName, sortAndFilterImages, totalSize } from './sort-images';
import { TagImageDialog } from './TagImageDialog';
import './images.css';

/** Local images: sort, filter, see layers, tag, remove and prune. Live from engine image events. */
export function ImagesView() {
  const images = useProcedure('images.list', {});
  useEngineEvents('image', images.reload);
  const { navigate } = useNavigation();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState>({ key: 'created', direction: 'descending' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ImageSummary | null>(null);
  const [tagging, setTagging] = useState<ImageSummary | null>(null);
  const [pruning, setPruning] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [exploring, setExploring] = useState<string | null>(null);

  const all = images.data ?? [];
  const rows = sortAndFilterImages(all, filter, sort);
  const selected = all.find((i) => i.id === selectedId) ?? null;
  const dangling = all.filter((i) => i.dangling).length;
  const onSort = (key: string) =>
    setSort((s) => ({ key, direction: s.key === key && s.direction === 'ascending' ? 'descending' : 'ascending' }));

  const columns: Column<ImageSummary>[] = [
    {
      key: 'name',
      header: 'Repository:tag',
      sortable: true,
      cell: (i) => (
        <button
          type="button"
          className="link-button mono"
          onClick={() => setSelectedId(i.id)}
          aria-label={`Show layers of ${imageName(i)}`}
        >
          {imageName(i)}
        </button>
      ),
    },
    { key: 'id', header: 'ID', sortable: true, cell: (i) => <code>{shortId(i.id)}</code> },
    { key: 'created', header: 'Created', sortable: true, cell: (i) => relativeTime(i.created) },
    { key: 'size', header: 'Size', sortable: true, align: 'end', cell: (i) => formatBytes(i.size) },
    {
      key: 'inUse',
      header: 'In use',
      sortable: true,
      cell: (i) =>
        i.containers > 0 ? (
          <Badge tone="info">
            {i.containers} container{i.containers === 1 ? '' : 's'}
          </Badge>
        ) : i.dangling ? (
          <Badge tone="muted">dangling</Badge>
        ) : (
          '—'
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      cell: (i) => (
        <span className="row-actions">
          {i.tags[0] && (
            <Button
              size="small"
              onClick={() => navigate('containers', { image: i.tags[0]! })}
              aria-label={`Run ${imageName(i)}`}
            >
              Run
            </Button>
          )}
          {i.tags[0] && (
            <Button
              size="small"
              onClick={() => navigate('ship', { source: i.tags[0]! })}
              aria-label={`Push ${imageName(i)}`}
            >
              Push
            </Button>
          )}
          <Button size="small" onClick={() => setTagging(i)} aria-label={`Tag ${imageName(i)}`}>
            Tag
          </Button>
          <Button size="small" variant="ghost" onClick={() => setRemoving(i)} aria-label={`Remove ${imageName(i)}`}>
            Remove
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="images-view">
      <h2>Images</h2>
      <div className="toolbar">
        <input
          type="search"
          data-search
          aria-label="Filter images"
          placeholder="Filter by name or id  ( / )"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {images.status === 'loading' && <Spinner label="Loading images" />}
        <span className="spacer" />
        <span data-testid="images-total">
          {all.length} images, {formatBytes(totalSize(all))} on disk
        </span>
        <Button onClick={() => setPruning(true)} disabled={dangling === 0}>
          Prune dangling ({dangling})
        </Button>
      </div>
      {notice && <output className="notice">{notice}</output>}
      {images.status === 'error' && <ErrorNotice title="Could not list images" error={images.error} />}
      {images.status === 'data' && all.length === 0 && (
        <EmptyState title="No images yet">
          Build the project in Build (g b) or pull a base image; it will show here.
        </EmptyState>
      )}
      {all.length > 0 && rows.length === 0 && (
        <EmptyState title="No image matches">Nothing matches “{filter}”. Clear the filter to see all.</EmptyState>
      )}
      {rows.length > 0 && (
        <Table
          label="Images"
          columns={columns}
          rows={rows}
          rowKey={(i) => i.id}
          sort={sort}
          onSort={onSort}
          selectedKey={selectedId}
          onSelect={(i) => setSelectedId(i.id)}
        />
      )}
      {selected && (
        <LayersPanel key={selected.id} imageRef={selected.tags[0] ?? selected.id} name={imageName(selected)} />
      )}
      {selected && exploring !== selected.id && (
        <Button onClick={() => setExploring(selected.id)} aria-label={`Explore the files of ${imageName(selected)}`}>
          Explore files in layers
        </Button>
      )}
      {selected && exploring === selected.id && (
        <LayerExplorer
          key={selected.id}
          imageRef={selected.tags[0] ?? selected.id}
          name={imageName(selected)}
          images={all}
        />
      )}
      {removing && (
        <RemoveImageDialog
          image={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            if (selectedId === removing.id) setSelectedId(null);
            images.reload();
          }}
        />
      )}
      {tagging && (
        <TagImageDialog
          image={tagging}
          onClose={() => setTagging(null)}
          onTagged={(target) => {
            setTagging(null);
            setNotice(`Tagged ${imageName(tagging)} as ${target}.`);
            images.reload();
          }}
        />
      )}
      {pruning && (
        <PruneDialog
          dangling={dangling}
          onClose={() => setPruning(false)}
          onPruned={(message) => {
            setPruning(false);
            setNotice(message);
            images.reload();
          }}
        />
      )}
    </div>
  );
}
