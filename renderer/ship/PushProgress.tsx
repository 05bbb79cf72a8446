import { useState } from 'react';
import type { PushLayer, PushModel } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes } from '../ui/format';
import { ProgressBar } from '../ui/ProgressBar';
import { Spinner } from '../ui/Spinner';

const LAYER_LABEL: Record<PushLayer['status'], string> = {
  waiting: 'waiting',
  preparing: 'preparing',
  pushing: 'pushing',
  pushed: 'pushed',
  exists: 'already exists',
  failed: 'failed',
};

const STATE_TONE: Record<PushModel['state'], BadgeTone> = {
  checking: 'info',
  tagging: 'info',
  pushing: 'info',
  succeeded: 'good',
  failed: 'bad',
};

function LayerRow({ layer }: { layer: PushLayer }) {
  const done = layer.status === 'pushed' || layer.status === 'exists';
  const value = done ? 1 : layer.current;
  const max = done ? 1 : layer.total;
  const tone =
    layer.status === 'exists'
      ? 'muted'
      : layer.status === 'pushed'
        ? 'done'
        : layer.status === 'failed'
          ? 'bad'
          : 'normal';
  return (
    <li className={`push-layer push-${layer.status}`}>
      <code>{layer.id.replace(/^sha256:/, '').slice(0, 12)}</code>
      <ProgressBar
        value={value}
        max={max}
        label={`Layer ${layer.id.replace(/^sha256:/, '').slice(0, 12)}`}
        tone={tone}
      />
      <span className="push-layer-status">
        {LAYER_LABEL[layer.status]}
        {layer.status === 'pushing' &&
          layer.total > 0 &&
          ` ${formatBytes(layer.current)} / ${formatBytes(layer.total)}`}
      </span>
    </li>
  );
}

/**
 * The push as it happens: one bar per layer, the overall state, then the digest or the registry's error.
 * The digest is shown only for a push that succeeded: a digest on any other model proves nothing.
 */
export function PushProgress({ model }: { model: PushModel }) {
  const [copied, setCopied] = useState(false);
  const finished = model.state === 'succeeded' || model.state === 'failed';
  const digest = model.state === 'succeeded' ? model.digest : null;
  const copy = () =>
    navigator.clipboard?.writeText(digest ?? '').then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <section className="panel" aria-label="Push progress">
      <div className="toolbar">
        <output aria-label="Push state">
          {!finished && <Spinner label="Pushing" />} <Badge tone={STATE_TONE[model.state]}>{model.state}</Badge>
        </output>
        <code>{model.target}</code>
      </div>
      {model.layers.length > 0 && (
        <ol className="push-layers" aria-label="Layers">
          {model.layers.map((layer) => (
            <LayerRow key={layer.id} layer={layer} />
          ))}
        </ol>
      )}
      {digest && (
        <p className="push-digest">
          Digest: <code data-testid="push-digest">{digest}</code>{' '}
          <Button size="small" onClick={copy} aria-label="Copy digest">
            {copied ? 'Copied' : 'Copy'}
          </Button>
          {model.size !== null && <span className="muted"> ({formatBytes(model.size)} manifest)</span>}
        </p>
      )}
      {model.failure && <ErrorNotice title="The registry refused the push" error={model.failure} />}
    </section>
  );
}
