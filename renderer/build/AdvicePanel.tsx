import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AdviceFinding,
  AdviceMeasurement,
  AdviceReport,
  BuildRequestInput,
  ErrorShape,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatBytes } from '../ui/format';
import { Spinner } from '../ui/Spinner';

/** The project the advice is about: the folder, Dockerfile and target, and the build args a rebuild needs. */
export type AdviceProject = Pick<BuildRequestInput, 'contextDir' | 'dockerfile' | 'target' | 'buildArgs' | 'builder'>;

const bytes = (n: number) => `${formatBytes(n)} (${n.toLocaleString('en')} bytes)`;

/** One line of the diff, coloured by what it does. */
function DiffLine({ line }: { line: string }) {
  const kind =
    line.startsWith('+++') || line.startsWith('---')
      ? 'head'
      : line[0] === '+'
        ? 'add'
        : line[0] === '-'
          ? 'del'
          : line.startsWith('@@')
            ? 'hunk'
            : 'same';
  return <span className={`advice-diff-${kind}`}>{`${line}\n`}</span>;
}

interface Applied {
  finding: AdviceFinding;
  /** The measurement before the fix, when one was taken for the file as it was. */
  before: AdviceMeasurement | null;
  after: AdviceMeasurement | null;
}

/** The measured effect beside the prediction: context bytes, image size, steps cached after a source edit. */
function Effect({ applied, measuring }: { applied: Applied; measuring: boolean }) {
  const { prediction } = applied.finding;
  const { before, after } = applied;
  const context = prediction.contextBytes;
  const cached = prediction.cachedAfterEdit;
  return (
    <section className="advice-effect" aria-label="Effect of the fix">
      <h4>Effect of “{applied.finding.fix?.summary}”</h4>
      {measuring && <Spinner label="Rebuilding to measure (two builds of a temporary copy)" />}
      <table>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">Before (measured)</th>
            <th scope="col">Predicted</th>
            <th scope="col">After (measured)</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Context sent</th>
            <td>{before ? bytes(before.contextBytes) : '—'}</td>
            <td>{context ? `${bytes(context.before)} → ${bytes(context.after)}` : 'the same'}</td>
            <td>{after ? bytes(after.contextBytes) : '—'}</td>
          </tr>
          <tr>
            <th scope="row">Image size</th>
            <td>{before ? bytes(before.imageBytes) : '—'}</td>
            <td>{prediction.image}</td>
            <td>{after ? bytes(after.imageBytes) : '—'}</td>
          </tr>
          <tr>
            <th scope="row">Steps cached after a source edit</th>
            <td>{before ? `${before.cachedAfterEdit} of ${before.layerSteps}` : '—'}</td>
            <td>
              {cached ? `${cached.before} → ${cached.after} of ${cached.of} (edit of ${cached.editedFile})` : '—'}
            </td>
            <td>{after ? `${after.cachedAfterEdit} of ${after.layerSteps}` : '—'}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function FindingItem({
  finding,
  open,
  busy,
  onShow,
  onCancel,
  onWrite,
}: {
  finding: AdviceFinding;
  open: boolean;
  busy: boolean;
  onShow: () => void;
  onCancel: () => void;
  onWrite: () => void;
}) {
  // Opening the diff moves the focus to its "Write" button; Escape closes it without writing.
  const confirmRef = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    if (open) confirmRef.current?.querySelector('button')?.focus();
  }, [open]);
  const where = finding.line === null ? '.dockerignore' : `line ${finding.line}`;
  return (
    <li className="advice-finding" aria-label={`${where}: ${finding.title}`}>
      <div className="advice-finding-head">
        <span className="advice-where">{where}</span>
        <strong>{finding.title}</strong>
      </div>
      <p>
        <strong>Why: </strong>
        {finding.why}
      </p>
      <p>
        <strong>Fix: </strong>
        {finding.fixText}
      </p>
      {finding.details.length > 0 && (
        <ul className="advice-details" aria-label="What each entry keeps out of the context">
          {finding.details.map((d) => (
            <li key={d.label}>
              {d.label}: {d.bytes === null ? 'unknown' : bytes(d.bytes)}
            </li>
          ))}
        </ul>
      )}
      {finding.fix && !open && (
        <Button size="small" onClick={onShow} aria-expanded={false}>
          Show the fix
        </Button>
      )}
      {finding.fix && open && (
        <fieldset
          ref={confirmRef}
          className="advice-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') onCancel();
          }}
        >
          <legend>Diff of {finding.fix.path}: nothing is written until you confirm</legend>
          <pre className="advice-diff">
            {finding.fix.diff
              .split('\n')
              .slice(0, -1)
              .map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: diff lines are positional
                <DiffLine key={i} line={line} />
              ))}
          </pre>
          <div className="advice-actions">
            <Button variant="primary" size="small" onClick={onWrite} disabled={busy}>
              Write this fix to {finding.fix.path}
            </Button>
            <Button size="small" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
          </div>
        </fieldset>
      )}
    </li>
  );
}

/**
 * Dockerfile advice for the project: each finding with its line, why, and the fix; the fix's diff is shown
 * before anything is written, and after writing, a rebuild of a temporary copy measures the effect.
 */
export function AdvicePanel({ project }: { project: AdviceProject }) {
  const api = useApi();
  const [report, setReport] = useState<AdviceReport | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [loading, setLoading] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [writing, setWriting] = useState(false);
  const [baseline, setBaseline] = useState<AdviceMeasurement | null>(null);
  const [measuring, setMeasuring] = useState(false);
  const [applied, setApplied] = useState<Applied | null>(null);
  const where = {
    contextDir: project.contextDir,
    dockerfile: project.dockerfile ?? 'Dockerfile',
    ...(project.target && { target: project.target }),
  };
  const key = JSON.stringify(where);
  const measureInput = { ...where, buildArgs: project.buildArgs ?? {}, builder: project.builder ?? 'auto' };

  const check = useCallback(() => {
    setLoading(true);
    setError(null);
    api.call('advice.check', JSON.parse(key)).then(
      (r) => {
        setReport(r);
        setLoading(false);
      },
      (e: unknown) => {
        setError(toErrorShape(e));
        setLoading(false);
      },
    );
  }, [api, key]);

  // Advice is asked for, not run on every project change: it lists the whole context.
  useEffect(() => {
    void key;
    setReport(null);
    setBaseline(null);
    setApplied(null);
    setOpenId(null);
    setError(null);
  }, [key]);

  const measure = async (): Promise<AdviceMeasurement | null> => {
    setMeasuring(true);
    try {
      return await api.call('advice.measure', measureInput);
    } catch (e) {
      setError(toErrorShape(e));
      return null;
    } finally {
      setMeasuring(false);
    }
  };

  const write = async (finding: AdviceFinding) => {
    if (!finding.fix) return;
    setWriting(true);
    setError(null);
    try {
      const result = await api.call('advice.apply', {
        ...where,
        findingId: finding.id,
        fileSha256: finding.fix.fileSha256,
        diffSha256: finding.fix.diffSha256,
      });
      setReport(result.report);
      setOpenId(null);
      const before = baseline;
      setApplied({ finding, before, after: null });
      setBaseline(null);
      setWriting(false);
      const after = await measure();
      if (after) {
        setApplied({ finding, before, after });
        setBaseline(after);
      }
    } catch (e) {
      setError(toErrorShape(e));
      setWriting(false);
    }
  };

  return (
    <section className="advice-panel" aria-label="Dockerfile advice">
      <h3>Dockerfile advice</h3>
      <div className="advice-actions">
        <Button size="small" onClick={check} disabled={loading || writing}>
          {report ? 'Check again' : 'Check the Dockerfile'}
        </Button>
        <Button
          size="small"
          onClick={() => void measure().then((m) => m && setBaseline(m))}
          disabled={measuring || writing}
        >
          Measure now (two builds of a temporary copy)
        </Button>
        {baseline && !applied && (
          <span className="advice-baseline">
            Now: context {bytes(baseline.contextBytes)}, image {bytes(baseline.imageBytes)}, {baseline.cachedAfterEdit}{' '}
            of {baseline.layerSteps} steps cached after a source edit
          </span>
        )}
      </div>
      {measuring && !applied && <Spinner label="Measuring (two builds of a temporary copy)" />}
      {error && <ErrorNotice title="Advice" error={error} />}
      {loading && !report && <Spinner label="Reading the Dockerfile" />}
      {applied && <Effect applied={applied} measuring={measuring} />}
      {report && report.findings.length === 0 && (
        <p className="advice-none">No findings: this Dockerfile follows every rule Berth checks.</p>
      )}
      {report && report.findings.length > 0 && (
        <ul className="step-list" aria-label="Findings">
          {report.findings.map((f) => (
            <FindingItem
              key={f.id}
              finding={f}
              open={openId === f.id}
              busy={writing}
              onShow={() => setOpenId(f.id)}
              onCancel={() => setOpenId(null)}
              onWrite={() => void write(f)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
