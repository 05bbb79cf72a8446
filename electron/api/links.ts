/**
 * What web mode's one-time links carry, by kind, and the rule that only a browser session may ask for
 * one (core/one-time-links.ts holds the rules; web/ serves the routes). Each link keeps the engine it was
 * asked on, so a context switch in between does not redirect it.
 */
import { BerthError, type LogExportRequest, type UploadRequest } from '../contract';
import type { EngineHandle } from '../core/engine';
import { OneTimeLinks } from '../core/one-time-links';
import type { Caller } from './handler-types';

export type LinkKinds = {
  /** A whole-range log export (GET /api/download/logs?ticket=ID). */
  'logs.export': { engine: EngineHandle; request: LogExportRequest; fileName: string };
  /** A file or folder out of a container (GET /api/files/download/ID). */
  'files.download': { engine: EngineHandle; id: string; path: string };
  /** A file into a container's folder (PUT /api/files/upload/ID). */
  'files.upload': { engine: EngineHandle; request: UploadRequest };
};

export type Links = OneTimeLinks<LinkKinds>;
export const createLinks = (): Links => new OneTimeLinks<LinkKinds>();

/** The caller's web session; the desktop has none, and saves through its own dialogs instead. */
export function linkSession(caller: Caller, instead: string): string {
  if (caller.session === undefined)
    throw new BerthError('UNSUPPORTED', 'Download and upload links exist only in web mode.', instead);
  return caller.session;
}
