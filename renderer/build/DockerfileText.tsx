import type { ReactNode } from 'react';
import type { BuildStep, DockerfileFile } from '../../electron/contract';
import { Badge } from '../ui/Badge';
import { formatBytes, formatDuration } from '../ui/format';
import { STATE_LABEL, STATE_TONE } from './BuildStepRow';
import { stepDuration } from './build-stats';

interface DockerfileTextProps {
  file: DockerfileFile;
  steps: BuildStep[];
  now: number;
  /** Opens the step's row (expanded, scrolled to and focused) in the list of steps. */
  onOpenStep: (stepId: string) => void;
}

type Block =
  | { kind: 'plain'; line: number }
  | { kind: 'instruction'; line: number; endLine: number; step: BuildStep | undefined };

/** The file's lines cut into instructions (first to last physical line) and the plain lines between them. */
function blocksOf(file: DockerfileFile, lineCount: number, steps: BuildStep[]): Block[] {
  const byLine = new Map(file.outline.instructions.map((i) => [i.line, i]));
  const stepAt = new Map(steps.filter((s) => s.line !== null).map((s) => [s.line, s]));
  const blocks: Block[] = [];
  for (let line = 1; line <= lineCount; line++) {
    const instruction = byLine.get(line);
    if (!instruction) {
      blocks.push({ kind: 'plain', line });
      continue;
    }
    const endLine = Math.min(Math.max(instruction.endLine, line), lineCount);
    blocks.push({ kind: 'instruction', line, endLine, step: stepAt.get(line) });
    line = endLine;
  }
  return blocks;
}

function Line({ number, text, children }: { number: number; text: string; children?: ReactNode }) {
  return (
    <span className="df-line">
      <span className="df-number" aria-hidden="true">
        {number}
      </span>
      <code className="df-code">{text || ' '}</code>
      <span className="df-note">{children}</span>
    </span>
  );
}

/**
 * The Dockerfile itself, as it is on disk now: each instruction carries its step's state and time, and opens
 * that step on click, Enter or Space. Comments and blank lines are shown as they are.
 */
export function DockerfileText({ file, steps, now, onOpenStep }: DockerfileTextProps) {
  const lines = file.text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const text = (line: number) => lines[line - 1] ?? '';
  const blocks = blocksOf(file, lines.length, steps);
  // The file is read as it is now; steps whose line no longer starts an instruction were built from another version.
  const starts = new Set(file.outline.instructions.map((i) => i.line));
  const changed = steps.some((s) => s.line !== null && !starts.has(s.line));
  return (
    <section className="dockerfile-text" aria-label="Dockerfile text">
      <h4 className="stage-name">
        <span className="mono">{file.dockerfile}</span> · {lines.length} lines · {formatBytes(file.bytes)}
      </h4>
      {changed && (
        <p className="muted" role="note">
          The Dockerfile has changed since this build: some steps no longer match a line of the file as it is now.
        </p>
      )}
      <div className="df-body">
        {blocks.map((block) => {
          if (block.kind === 'plain') return <Line key={block.line} number={block.line} text={text(block.line)} />;
          const { step } = block;
          const range = Array.from({ length: block.endLine - block.line + 1 }, (_, i) => block.line + i);
          if (!step) {
            return (
              <div key={block.line} className="df-instruction df-no-step" title="No step of this build">
                {range.map((n) => (
                  <Line key={n} number={n} text={text(n)} />
                ))}
              </div>
            );
          }
          const duration = step.state === 'cached' ? null : stepDuration(step, now);
          const time = duration === null ? '' : `, ${formatDuration(duration)}`;
          return (
            <button
              key={block.line}
              type="button"
              className={`df-instruction df-step step-${step.state}`}
              aria-label={`Line ${block.line}: ${text(block.line).trim()} (${STATE_LABEL[step.state]}${time}). Open its step.`}
              onClick={() => onOpenStep(step.id)}
            >
              {range.map((n) => (
                <Line key={n} number={n} text={text(n)}>
                  {n === block.line && (
                    <>
                      <Badge tone={STATE_TONE[step.state]}>{STATE_LABEL[step.state]}</Badge>
                      {duration !== null && <span className="df-time">{formatDuration(duration)}</span>}
                    </>
                  )}
                </Line>
              ))}
            </button>
          );
        })}
      </div>
    </section>
  );
}
