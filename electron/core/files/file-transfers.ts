/**
 * The transfers the page asked for and has not yet carried out: one-time links for web mode's download
 * and upload routes. Each link keeps the engine it was asked on, so a context switch in between does not
 * redirect it.
 */
import type { UploadRequest } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { TransferLinks } from './transfer-links';

export const DOWNLOAD_PATH = '/api/files/download/';
export const UPLOAD_PATH = '/api/files/upload/';

export class FileTransfers {
  readonly downloads = new TransferLinks<{ engine: EngineHandle; id: string; path: string }>();
  readonly uploads = new TransferLinks<{ engine: EngineHandle; request: UploadRequest }>();
}
