import { type MouseEvent, useState } from 'react';
import type { PushLayer, PushModel, TagPush } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes } from '../ui/format';
import { ProgressBar } from '../ui/ProgressBar';
import { Spinner } from '../ui/Spinner';
import { sourceLabel } from './Logins';

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

const TAG_TONE: Record<TagPush['state'], BadgeTone> = {
  waiting: 'muted',
  pushing: 'info',
  succeeded: 'good',
  failed: 'bad',
};

/** Each tag of a multi-tag push: the first sends the layers, the next find them already in the registry. */
function TagRows({ tags }: { tags: TagPush[] }) {
  return (
    <ol className="push-tags" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag.target}>
          <code>{tag.target}</code> <Badge tone={TAG_TONE[tag.state]}>{tag.state}</Badge>{' '}
          {tag.state !== 'waiting' && (
            <span className="muted">
              {tag.pushed} layer{tag.pushed === 1 ? '' : 's'} pushed, {tag.existing} already in the registry
            </span>
          )}
          {tag.digest && (
            <>
              {' '}
              <code className="push-tag-digest">{tag.digest}</code>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The repository's web page after a push, or why there is none. */
function RepositoryPageLink({ url, note }: { url: string | null; note: string }) {
  const api = useApi();
  if (!url) return <p className="muted push-page">{note}</p>;
  const open = (event: MouseEvent) => {
    event.preventDefault();
    api.call('app.openExternal', { url }).catch(() => window.open(url, '_blank', 'noopener,noreferrer'));
  };
  return (
    <p className="push-page">
      {note}{' '}
      <a href={url} target="_blank" rel="noopener noreferrer" onClick={open}>
        {url}
      </a>
    </p>
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
        {model.login && (
          <span className="muted push-login">
            as {model.login.username || '(identity token)'} (
            {model.login.source === 'typed'
              ? 'typed for this push'
              : sourceLabel({ source: model.login.source, helper: null })}
            )
          </span>
        )}
      </div>
      {model.tags && model.tags.length > 1 && <TagRows tags={model.tags} />}
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
      {model.state === 'succeeded' && model.page && <RepositoryPageLink url={model.page.url} note={model.page.note} />}
      {model.failure && <ErrorNotice title="The registry refused the push" error={model.failure} />}
    </section>
  );
}
