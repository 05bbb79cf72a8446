import { useState } from 'react';
import {
  type ContainerSummary,
  type ErrorShape,
  type FileEntry,
  normaliseContainerPath,
  UPLOAD_MAX_BYTES,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatBytes } from '../ui/format';
import { ProgressBar } from '../ui/ProgressBar';
import { Spinner } from '../ui/Spinner';
import { type Column, Table } from '../ui/Table';
import { putFile } from './file-upload';

/** rwxr-xr-x, as `ls -l` shows permission bits. */
export function permissions(mode: number): string {
  return [6, 3, 0]
    .map((shift) => {
      const bits = (mode >> shift) & 7;
      return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
    })
    .join('');
}

const join = (folder: string, name: string): string => (folder === '/' ? `/${name}` : `${folder}/${name}`);
const parent = (path: string): string => normaliseContainerPath(`${path}/..`) ?? '/';

interface Upload {
  name: string;
  sent: number;
  size: number;
  state: 'sending' | 'done' | 'failed';
}

/**
 * Files in one container: browse a folder, download a file (or a folder as .tar) in web mode, copy one
 * out to a host folder in the desktop app, and upload files into the folder shown, with progress.
 */
export function FilesDialog({ container, onClose }: { container: ContainerSummary; onClose: () => void }) {
  const api = useApi();
  const project = useProcedure('project.default', {});
  const desktop = project.data?.folderPicker === true;
  const [folder, setFolder] = useState('/');
  const [typed, setTyped] = useState('/');
  const listing = useProcedure('files.list', { id: container.id, path: folder });
  const [error, setError] = useState<ErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState<File[]>([]);
  const [uploads, setUploads] = useState<Upload[]>([]);

  const open = (path: string) => {
    const clean = normaliseContainerPath(path);
    if (clean === null) {
      setError({ code: 'INVALID_INPUT', message: `"${path}" is not an absolute path.`, fix: 'Start the path with /.' });
      return;
    }
    setError(null);
    setTyped(clean);
    setFolder(clean);
  };

  const download = async (entry: FileEntry) => {
    setError(null);
    setNotice(null);
    const path = join(folder, entry.name);
    try {
      if (desktop) {
        const report = await api.call('files.copyOut', { id: container.id, path });
        if (report.destination !== null)
          setNotice(
            `Copied ${report.files} file${report.files === 1 ? '' : 's'} (${formatBytes(report.bytes)}) to ${report.destination}` +
              (report.skipped.length > 0
                ? `; left out: ${report.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`
                : '.'),
          );
        return;
      }
      const link = await api.call('files.downloadLink', { id: container.id, path });
      const anchor = document.createElement('a');
      anchor.href = link.url;
      anchor.download = link.fileName;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setNotice(`Downloading ${link.fileName}: the browser shows its progress.`);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const upload = async () => {
    setError(null);
    setNotice(null);
    const files = chosen;
    setUploads(files.map((f) => ({ name: f.name, sent: 0, size: f.size, state: 'sending' })));
    const update = (index: number, change: Partial<Upload>) =>
      setUploads((list) => list.map((u, i) => (i === index ? { ...u, ...change } : u)));
    for (const [index, file] of files.entries()) {
      try {
        const link = await api.call('files.uploadLink', {
          id: container.id,
          folder,
          name: file.name,
          sizeBytes: file.size,
        });
        await putFile(link.url, file, (sent) => update(index, { sent }));
        update(index, { sent: file.size, state: 'done' });
      } catch (e) {
        update(index, { state: 'failed' });
        setError(toErrorShape(e));
      }
    }
    setChosen([]);
    listing.reload();
  };

  const columns: Column<FileEntry>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (entry) =>
        entry.kind === 'folder' ? (
          <Button
            size="small"
            variant="ghost"
            onClick={() => open(join(folder, entry.name))}
            aria-label={`Open ${entry.name}`}
          >
            📁 {entry.name}
          </Button>
        ) : (
          <span className="mono">
            {entry.name}
            {entry.linkTarget ? ` → ${entry.linkTarget}` : ''}
          </span>
        ),
    },
    { key: 'size', header: 'Size', align: 'end', cell: (e) => (e.kind === 'file' ? formatBytes(e.sizeBytes) : '—') },
    { key: 'mode', header: 'Mode', cell: (e) => <span className="mono">{permissions(e.mode)}</span> },
    { key: 'modified', header: 'Modified', cell: (e) => (e.modified ? new Date(e.modified).toLocaleString() : '—') },
    {
      key: 'actions',
      header: '',
      cell: (entry) => (
        <Button size="small" onClick={() => download(entry)} aria-label={`Download ${entry.name}`}>
          {desktop ? 'Copy out…' : entry.kind === 'file' ? 'Download' : 'Download .tar'}
        </Button>
      ),
    },
  ];

  // While another folder loads, the last listing is not shown under the new path.
  const shown = listing.data?.path === folder ? listing.data : null;
  const tooBig = chosen.filter((f) => f.size > UPLOAD_MAX_BYTES);
  return (
    <Dialog title={`Files in ${container.name}`} onClose={onClose} actions={<Button onClick={onClose}>Close</Button>}>
      <form
        className="files-path"
        onSubmit={(event) => {
          event.preventDefault();
          open(typed);
        }}
      >
        <Button size="small" onClick={() => open(parent(folder))} disabled={folder === '/'} aria-label="Up one folder">
          ↑ Up
        </Button>
        <input
          className="mono"
          aria-label="Container path"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          spellCheck={false}
        />
        <Button size="small" type="submit">
          Open
        </Button>
      </form>
      {error && <ErrorNotice error={error} />}
      {notice && (
        <p className="files-notice" role="status">
          {notice}
        </p>
      )}
      {listing.status === 'loading' && <Spinner label={`Reading ${folder}`} />}
      {listing.status === 'error' && <ErrorNotice title={`Could not open ${folder}`} error={listing.error} />}
      {shown && listing.status !== 'error' && (
        <div className="files-table">
          {shown.truncated && (
            <p className="files-notice">
              Only part of this folder is listed: it is too big to read whole. Type a deeper path.
            </p>
          )}
          <Table label={`Files in ${shown.path}`} columns={columns} rows={shown.entries} rowKey={(e) => e.name} />
          {shown.entries.length === 0 && <p>This folder is empty.</p>}
        </div>
      )}
      {desktop ? (
        <p className="files-notice">Uploading files is available in web mode (npm start -- --web).</p>
      ) : (
        <fieldset className="files-upload">
          <legend>Upload into {folder}</legend>
          <input
            type="file"
            multiple
            aria-label="Files to upload"
            onChange={(e) => setChosen([...(e.target.files ?? [])])}
          />
          <Button
            variant="primary"
            size="small"
            disabled={chosen.length === 0 || tooBig.length > 0 || uploads.some((u) => u.state === 'sending')}
            onClick={upload}
          >
            Upload {chosen.length > 0 ? `${chosen.length} file${chosen.length === 1 ? '' : 's'}` : ''}
          </Button>
          {tooBig.length > 0 && (
            <p className="files-notice">
              {tooBig.map((f) => f.name).join(', ')}: larger than {formatBytes(UPLOAD_MAX_BYTES)}, the upload limit.
            </p>
          )}
          {uploads.map((u) => (
            <div key={u.name} className="files-progress">
              <span className="mono">{u.name}</span>
              <ProgressBar
                value={u.sent}
                max={u.size || 1}
                label={`Upload of ${u.name}`}
                tone={u.state === 'done' ? 'done' : u.state === 'failed' ? 'bad' : 'normal'}
              />
              <span>
                {u.state === 'done'
                  ? 'done'
                  : u.state === 'failed'
                    ? 'failed'
                    : `${formatBytes(u.sent)} / ${formatBytes(u.size)}`}
              </span>
            </div>
          ))}
        </fieldset>
      )}
    </Dialog>
  );
}
