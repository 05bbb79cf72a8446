import { useMemo, useState } from 'react';
import type { ExploredLayer, FileDiff, ImageSummary, LayerTree } from '../../electron/contract';
import { useProcedure } from '../app/use-procedure';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes, shortId } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { FileTreeView } from './FileTreeView';
import { LayerBar } from './LayerBar';
import { imageName } from './sort-images';

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const WASTED_SHOWN = 10;

/** A layer's one-line summary: what made it, its Dockerfile line, and its counts. */
function LayerLabel({ layer }: { layer: ExploredLayer }) {
  return (
    <>
      <span className="layer-size">{formatBytes(layer.size)}</span>
      <span className="muted">
        +{layer.added} ~{layer.modified} −{layer.deleted}
      </span>
      <code className="layer-instruction" title={layer.instruction}>
        {layer.instruction || 'base layer (no build history)'}
      </code>
      <span className="muted">{layer.line !== null ? `Dockerfile line ${layer.line}` : ''}</span>
    </>
  );
}

/**
 * Every layer of one image with its file tree (added, modified, deleted), the image's size, wasted bytes and
 * efficiency, and a diff against another local image.
 */
export function LayerExplorer({ imageRef, name, images }: { imageRef: string; name: string; images: ImageSummary[] }) {
  const explored = useProcedure('images.explore', { ref: imageRef });
  const [selected, setSelected] = useState<number | null>(null);
  const [compareWith, setCompareWith] = useState('');
  const data = explored.data;
  const layers = data ? [...data.layers].reverse() : [];
  const layer = data ? (data.layers[selected ?? data.layers.length - 1] ?? null) : null;
  const largest = Math.max(0, ...layers.map((l) => l.size));
  const others = images.filter((i) => i.id !== data?.imageId);

  return (
    <section className="panel layer-explorer" aria-label={`Files in the layers of ${name}`}>
      <h3>Files in the layers of {name}</h3>
      {explored.status === 'loading' && <Spinner label="Reading the image's layers" />}
      {explored.status === 'error' && <ErrorNotice error={explored.error} />}
      {data && (
        <>
          <div className="totals" data-testid="explorer-totals">
            <span>
              Size<strong>{formatBytes(data.size)}</strong>
            </span>
            <span>
              Wasted<strong>{formatBytes(data.wastedBytes)}</strong>
            </span>
            <span>
              Efficiency<strong>{percent(data.efficiency)}</strong>
            </span>
            <span>
              Files<strong>{data.files.toLocaleString('en-US')}</strong>
            </span>
            {data.buildId && (
              <span>
                Built by<strong>build {data.buildId}</strong>
              </span>
            )}
          </div>
          <p className="muted">
            Wasted counts only copies that a later layer overwrites or deletes; the copy that stays is not waste.
          </p>
          {layers.length === 0 && <EmptyState title="No layers">This image has no filesystem layers.</EmptyState>}
          <ol className="explorer-layers" aria-label="Layers, newest first">
            {layers.map((l) => (
              <li key={l.index}>
                <button
                  type="button"
                  aria-pressed={layer?.index === l.index}
                  onClick={() => setSelected(l.index)}
                  aria-label={`Layer ${l.index + 1}: ${l.instruction || 'base layer'}`}
                >
                  <LayerLabel layer={l} />
                </button>
                <LayerBar size={l.size} largest={largest} />
              </li>
            ))}
          </ol>
          {layer && (
            <FileTreeView
              key={`${data.imageId}-${layer.index}`}
              columns={layer.tree}
              label={`Files of layer ${layer.index + 1}`}
            />
          )}
          {data.wasted.length > 0 && (
            <table className="file-diff-table" aria-label="Most wasted paths">
              <thead>
                <tr>
                  <th>Path</th>
                  <th>Superseded copies</th>
                  <th>Wasted</th>
                </tr>
              </thead>
              <tbody>
                {data.wasted.slice(0, WASTED_SHOWN).map((w) => (
                  <tr key={w.path}>
                    <td className="mono">{w.path}</td>
                    <td className="num">{w.copies}</td>
                    <td className="num">{formatBytes(w.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="toolbar">
            <label>
              Compare with{' '}
              <select
                value={compareWith}
                onChange={(e) => setCompareWith(e.target.value)}
                aria-label="Compare with image"
              >
                <option value="">choose an image…</option>
                {others.map((i) => (
                  <option key={i.id} value={i.tags[0] ?? i.id}>
                    {imageName(i)} ({shortId(i.id)})
                  </option>
                ))}
              </select>
            </label>
          </div>
          {compareWith && <ImageDiffView key={compareWith} from={imageRef} to={compareWith} />}
        </>
      )}
    </section>
  );
}

/** A file diff as tree columns: added, removed (shown deleted) and modified files, sized by the newer copy. */
function diffColumns(files: FileDiff): LayerTree {
  const changes = [...files.changes].map((c) => (c === 'r' ? 'd' : c)).join('');
  return {
    paths: files.paths,
    kinds: 'f'.repeat(files.paths.length),
    changes,
    sizes: files.paths.map((_, i) => (files.changes[i] === 'r' ? files.fromSizes[i]! : files.toSizes[i]!)),
  };
}

/** Which layers differ between two images, and the files that differ inside each. */
export function ImageDiffView({ from, to }: { from: string; to: string }) {
  const diff = useProcedure('images.diff', { from, to });
  const changed = useMemo(() => diff.data?.layers.filter((l) => !l.same) ?? [], [diff.data]);
  const [open, setOpen] = useState<number | null>(null);
  const shownLayer = changed.find((l) => l.index === open) ?? changed[0];
  return (
    <section className="panel image-diff" aria-label={`Diff of ${from} and ${to}`}>
      <h4>
        {from} → {to}
      </h4>
      {diff.status === 'loading' && <Spinner label="Comparing the two images" />}
      {diff.status === 'error' && <ErrorNotice error={diff.error} />}
      {diff.data && (
        <>
          <p data-testid="diff-summary">
            {diff.data.sharedLayers} shared layer{diff.data.sharedLayers === 1 ? '' : 's'} at the bottom;{' '}
            {changed.length} layer{changed.length === 1 ? '' : 's'} differ.
          </p>
          <ol className="explorer-layers" aria-label="Layers that differ">
            {changed.map((l) => (
              <li key={l.index}>
                <button type="button" aria-pressed={shownLayer?.index === l.index} onClick={() => setOpen(l.index)}>
                  <span className="layer-size">layer {l.index + 1}</span>
                  <span className="muted">{l.files.paths.length} files differ</span>
                  <code className="layer-instruction">{l.to?.instruction ?? l.from?.instruction ?? ''}</code>
                  <span className="muted">
                    {l.from ? formatBytes(l.from.size) : '—'} → {l.to ? formatBytes(l.to.size) : '—'}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {shownLayer && (
            <FileTreeView
              key={shownLayer.index}
              columns={diffColumns(shownLayer.files)}
              label={`Files that differ in layer ${shownLayer.index + 1}`}
            />
          )}
        </>
      )}
    </section>
  );
}
