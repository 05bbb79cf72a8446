import { type BuildRecordSummary, previousOfSameProject } from '../../electron/contract';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { formatDuration, relativeTime } from '../ui/format';
import { differenceFromPrevious, formatHits } from './build-stats';

/** The project column: the context folder's name, and the Dockerfile and target when they are not the usual. */
export function projectLabel(record: Pick<BuildRecordSummary, 'contextDir' | 'dockerfile' | 'target'>): string {
  const folder =
    record.contextDir
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() || record.contextDir;
  const file = record.dockerfile === 'Dockerfile' ? '' : ` · ${record.dockerfile}`;
  const target = record.target ? ` → ${record.target}` : '';
  return `${folder}${file}${target}`;
}

/**
 * Past builds, newest first, each with its time, cache hits and the change from the build before of the same
 * project (context folder, Dockerfile and target): builds of different projects are never compared. Each can
 * be opened.
 */
export function BuildHistory({
  records,
  onOpen,
}: {
  records: BuildRecordSummary[];
  onOpen?: (buildId: string) => void;
}) {
  if (records.length === 0) {
    return (
      <EmptyState title="No builds yet">Start a build above; each one is recorded here with its cache hits.</EmptyState>
    );
  }
  const rows = [...records]
    .sort((a, b) => b.at - a.at)
    .map((record) => ({ record, diff: differenceFromPrevious(record, previousOfSameProject(records, record)) }));
  return (
    <table className="table" aria-label="Build history">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Project</th>
          <th scope="col">Tags</th>
          <th scope="col">Result</th>
          <th scope="col">Builder</th>
          <th scope="col" className="align-end">
            Duration
          </th>
          <th scope="col">Cache</th>
          <th scope="col">Change</th>
          {onOpen && <th scope="col">Steps</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ record, diff }) => (
          <tr key={record.buildId}>
            <td>{relativeTime(record.at)}</td>
            <td
              className="mono"
              title={`${record.contextDir} · ${record.dockerfile}${record.target ? ` · target ${record.target}` : ''}`}
            >
              {projectLabel(record)}
            </td>
            <td className="mono">{record.tags.join(', ') || '—'}</td>
            <td>
              <Badge tone={record.state === 'succeeded' ? 'good' : record.state === 'failed' ? 'bad' : 'muted'}>
                {record.state}
              </Badge>
            </td>
            <td>{record.builder === 'buildkit' ? 'BuildKit' : 'legacy'}</td>
            <td className="align-end">{formatDuration(record.durationMs)}</td>
            <td>{formatHits({ cached: record.cachedSteps, total: record.totalSteps })}</td>
            <td>
              {diff}
              {record.firstCause && (
                <div className="muted history-cause" title="Why the first step that missed the cache did">
                  {record.firstCause}
                </div>
              )}
            </td>
            {onOpen && (
              <td>
                <Button
                  size="small"
                  onClick={() => onOpen(record.buildId)}
                  aria-label={`Open the build of ${relativeTime(record.at)}`}
                >
                  Open
                </Button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
