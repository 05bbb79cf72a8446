import { useProcedure } from '../app/use-procedure';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { LayerBar } from './LayerBar';

/** The layers of one image, top (newest) first, each with its size drawn to scale; the base image's are named. */
export function LayersPanel({ imageRef, name }: { imageRef: string; name: string }) {
  const layers = useProcedure('images.layers', { ref: imageRef });
  const list = layers.data ? [...layers.data].sort((a, b) => b.index - a.index) : [];
  const largest = Math.max(0, ...list.map((l) => l.size));
  return (
    <section className="panel layers-panel" aria-label={`Layers of ${name}`}>
      <h3>Layers of {name}</h3>
      {layers.status === 'loading' && <Spinner label="Loading layers" />}
      {layers.status === 'error' && <ErrorNotice error={layers.error} />}
      {layers.status === 'data' && list.length === 0 && (
        <EmptyState title="No layers">This image has no history.</EmptyState>
      )}
      {list.length > 0 && (
        <ol className="layer-list" aria-label="Layers">
          {list.map((layer) => (
            <li key={layer.index} className={layer.empty ? 'layer layer-empty' : 'layer'}>
              <span className="layer-size">{layer.empty ? 'empty' : formatBytes(layer.size)}</span>
              <LayerBar size={layer.size} largest={largest} />
              <span className="layer-what">
                {layer.baseImage && <span className="layer-base">base image {layer.baseImage}</span>}
                <code className="layer-instruction" title={layer.createdBy}>
                  {layer.instruction ||
                    layer.createdBy ||
                    layer.comment ||
                    (layer.baseImage ? '' : 'base layer (no build history)')}
                </code>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
