import { type FormEvent, useState } from 'react';
import { type ErrorShape, type ImageSummary, TagRef } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { imageName } from './sort-images';

/** Gives an image another name (`docker tag`): checked against the contract's TagRef before it is sent. */
export function TagImageDialog({
  image,
  onClose,
  onTagged,
}: {
  image: ImageSummary;
  onClose: () => void;
  onTagged: (target: string) => void;
}) {
  const api = useApi();
  const source = image.tags[0] ?? image.id;
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const checked = TagRef.safeParse(target.trim());
  const fieldError = target.trim() && !checked.success ? checked.error.issues[0]?.message : error?.fields?.target?.[0];

  const tag = (event: FormEvent) => {
    event.preventDefault();
    if (!checked.success) return;
    setBusy(true);
    setError(null);
    api.call('images.tag', { source, target: checked.data }).then(
      () => {
        setBusy(false);
        onTagged(checked.data);
      },
      (e: unknown) => {
        setBusy(false);
        setError(toErrorShape(e));
      },
    );
  };

  return (
    <Dialog
      title={`Tag ${imageName(image)}`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="tag-image-form" disabled={busy || !checked.success}>
            Tag
          </Button>
        </>
      }
    >
      <form id="tag-image-form" onSubmit={tag}>
        <Field label="New name" hint="[host[:port]/]name[:tag], e.g. 127.0.0.1:5000/notas-iv:1.0" error={fieldError}>
          <input value={target} onChange={(e) => setTarget(e.target.value)} spellCheck={false} />
        </Field>
      </form>
      {error && !error.fields?.target && <ErrorNotice error={error} />}
    </Dialog>
  );
}
