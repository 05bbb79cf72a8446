/**
 * Dockerfile advice: what a Dockerfile (and its .dockerignore) should change, each finding with the fix Berth can
 * write and the effect it predicts, and the measured effect of a rebuild to set beside that prediction.
 */
import { z } from 'zod';
import { Port, StageName } from './ids';
import { DockerfilePath, FolderPath } from './projects';

export const AdviceRule = z.enum([
  'copy-before-install', // the whole context is copied before the dependency install
  'dockerignore', // .dockerignore missing, or letting in node_modules, .git, logs, build output
  'shell-form', // CMD/ENTRYPOINT in shell form: PID 1 is /bin/sh, which does not pass SIGTERM on
  'unpinned-base', // FROM an image with no tag, or `latest`
  'add-instead-of-copy', // ADD of plain local files
  'install-without-cleanup', // a package install that leaves its cache in the layer
  'secret-in-image', // a secret-looking ARG or ENV
  'expose-port-mismatch', // EXPOSE disagrees with the PORT the app reads
  'runs-as-root', // no USER in the final stage, or USER root last
]);
export type AdviceRule = z.infer<typeof AdviceRule>;

/** A file Berth may write as a fix: the Dockerfile itself, or the .dockerignore beside the context. */
export const AdviceFile = z.enum(['dockerfile', 'dockerignore']);
export type AdviceFile = z.infer<typeof AdviceFile>;

export const AdvicePrediction = z.object({
  contextBytes: z
    .object({ before: z.number(), after: z.number() })
    .nullable()
    .describe('bytes the engine is sent, now and with the fix (the edited Dockerfile or .dockerignore itself counted)'),
  cachedAfterEdit: z
    .object({ before: z.number(), after: z.number(), of: z.number(), editedFile: z.string() })
    .nullable()
    .describe('layer steps (FROM left out) that stay cached after an edit of editedFile, now and with the fix'),
  image: z
    .enum(['smaller', 'about the same'])
    .describe('what the fix does to the image size (measured by the rebuild; not predicted in bytes)'),
});
export type AdvicePrediction = z.infer<typeof AdvicePrediction>;

export const AdviceFix = z.object({
  file: AdviceFile,
  path: z.string().describe('the file path inside the context, forward slashes'),
  /** What the fix does, in a sentence. */
  summary: z.string(),
  /** A unified diff of the file, from its text as read (fileSha256) to the text the fix writes. */
  diff: z.string(),
  fileSha256: z
    .string()
    .nullable()
    .describe('sha256 of the file as the diff was made from it; null: it does not exist'),
  diffSha256: z.string().describe('sha256 of `diff`: applying refuses when the fix would now write anything else'),
});
export type AdviceFix = z.infer<typeof AdviceFix>;

export const AdviceFinding = z.object({
  id: z.string().describe('stable for the same file text: `<rule>:<line>`'),
  rule: AdviceRule,
  line: z.number().nullable().describe('1-based Dockerfile line; null when the finding is about .dockerignore'),
  endLine: z.number().nullable(),
  title: z.string(),
  why: z.string(),
  fixText: z.string().describe('the fix, in words'),
  /** Extra figures: for .dockerignore, the bytes each entry would keep out of the context. */
  details: z.array(z.object({ label: z.string(), bytes: z.number().nullable() })),
  fix: AdviceFix.nullable().describe('null when Berth cannot write this fix safely (the words still say how)'),
  prediction: AdvicePrediction,
});
export type AdviceFinding = z.infer<typeof AdviceFinding>;

export const AdviceInput = z
  .object({
    contextDir: FolderPath,
    dockerfile: DockerfilePath.default('Dockerfile'),
    target: StageName.optional(),
    runPort: Port.optional().describe(
      'the PORT the project is run with (its run settings, e.g. `-e PORT=5000`); without it, the ENV PORT of the Dockerfile',
    ),
  })
  .strict();

export const AdviceReport = z.object({
  contextDir: z.string(),
  dockerfile: z.string(),
  context: z.object({ bytes: z.number(), files: z.number() }),
  findings: z.array(AdviceFinding),
});
export type AdviceReport = z.infer<typeof AdviceReport>;

export const ApplyAdviceInput = AdviceInput.extend({
  findingId: z.string().min(1).max(200),
  fileSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'the sha256 of the file as the diff was shown')
    .nullable()
    .describe('from the fix that was shown: the write is refused when the file changed since'),
  diffSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'the sha256 of the diff that was shown')
    .describe('from the fix that was shown: the write is refused when the fix would now differ from that diff'),
}).strict();

export const ApplyAdviceResult = z.object({
  path: z.string().describe('the file written, inside the context'),
  fileSha256: z.string(),
  report: AdviceReport.describe('the advice for the project as it is now'),
});
export type ApplyAdviceResult = z.infer<typeof ApplyAdviceResult>;

export const MeasureInput = AdviceInput.extend({
  buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  builder: z.enum(['auto', 'buildkit', 'legacy']).default('auto'),
  editedFile: z.string().min(1).max(4096).optional().describe('the source file to edit (in a temporary copy)'),
}).strict();

/** The measured effect: two real builds of a temporary copy of the context, the second after a source edit. */
export const AdviceMeasurement = z.object({
  contextBytes: z.number(),
  contextFiles: z.number(),
  imageBytes: z.number(),
  layerSteps: z.number().describe('layer steps of the build, FROM left out'),
  cachedAfterEdit: z.number().describe('of those, how many the engine reported cached after the edit'),
  editedFile: z.string().nullable().describe('null when no source file could be chosen (nothing edited)'),
  builder: z.enum(['buildkit', 'legacy']),
  at: z.number(),
});
export type AdviceMeasurement = z.infer<typeof AdviceMeasurement>;
