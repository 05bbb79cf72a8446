/**
 * Edit and recreate: apply changes to a container's settings, show the difference, then recreate it under
 * the same name with everything else kept (recreate-container.ts restores the old one if the new one fails).
 */
import {
  BerthError,
  ContainerChanges,
  type ContainerChangesInput,
  type ContainerEditPreview,
  type ContainerSummary,
  fieldKey,
  fieldsFromIssues,
  type RunSpec,
  type SettingChange,
} from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { currentSpec, recreateContainer } from './recreate-container';
import { checkRunSpec } from './run-spec-check';

/** The settings with the changes applied; unchanged settings are kept as they are. Pure. */
export function editedSpec(current: RunSpec, changes: ContainerChanges): RunSpec {
  const { restart, ...rest } = changes;
  const next: RunSpec = { ...current, ...rest };
  if (restart === 'no') delete next.restart;
  else if (restart) next.restart = restart;
  return next;
}

const texts: Record<SettingChange['setting'], (spec: RunSpec) => string[]> = {
  image: (s) => [s.image],
  env: (s) => Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
  ports: (s) => s.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`),
  volumes: (s) => s.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`),
  restart: (s) => [s.restart ?? 'no'],
};

/** What differs between two settings, per setting, as removed and added lines. Pure. */
export function settingsDiff(before: RunSpec, after: RunSpec): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const setting of Object.keys(texts) as Array<SettingChange['setting']>) {
    const was = texts[setting](before);
    const now = texts[setting](after);
    const removed = was.filter((line) => !now.includes(line));
    const added = now.filter((line) => !was.includes(line));
    if (removed.length > 0 || added.length > 0) changes.push({ setting, removed, added });
  }
  return changes;
}

/** The changes checked against the contract (the core does not trust callers); INVALID_INPUT names each bad field. */
export function checkChanges(input: unknown): ContainerChanges {
  const parsed = ContainerChanges.safeParse(input);
  if (parsed.success) return parsed.data;
  const [first] = parsed.error.issues;
  const field = fieldKey(first?.path ?? []);
  throw new BerthError(
    'INVALID_INPUT',
    `Invalid change: ${field}: ${first?.message ?? 'invalid'}.`,
    `Correct ${field} and try again; only image, env, ports, volumes and restart can be changed.`,
    fieldsFromIssues(parsed.error.issues),
  );
}

/** The diff an edit would make, checked in full (INVALID_INPUT names the bad field); nothing is changed. */
export async function previewEdit(
  connection: EngineHandle,
  id: string,
  input: ContainerChangesInput,
): Promise<ContainerEditPreview> {
  const changes = checkChanges(input);
  const { spec } = await currentSpec(connection, id);
  const after = checkRunSpec(editedSpec(spec, changes));
  return { name: spec.name ?? id, before: spec, after, changes: settingsDiff(spec, after) };
}

/** Recreates the container with the changes; if the new one cannot run, the old one is back under its name. */
export async function editContainer(
  connection: EngineHandle,
  id: string,
  input: ContainerChangesInput,
  options: { stopTimeoutSeconds?: number } = {},
): Promise<ContainerSummary> {
  const changes = checkChanges(input);
  return recreateContainer(connection, id, { ...options, edit: (spec) => editedSpec(spec, changes) });
}
