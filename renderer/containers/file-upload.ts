/**
 * Sends one file's bytes to a one-time upload link (web mode) with XMLHttpRequest, whose upload events
 * give progress (fetch has none). Same origin: the session cookie goes along, no secret is in the URL.
 */
import { BerthError, type CallReply } from '../../electron/contract';

export function putFile(url: string, file: Blob, onProgress: (sentBytes: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onerror = () =>
      reject(
        new BerthError('INTERNAL', 'The upload was cut off.', 'Check that Berth is still running, then try again.'),
      );
    request.onload = () => {
      let reply: CallReply | null = null;
      try {
        reply = JSON.parse(request.responseText) as CallReply;
      } catch {
        reply = null;
      }
      if (reply?.ok) resolve();
      else if (reply && !reply.ok) reject(BerthError.fromShape(reply.error));
      else reject(new BerthError('INTERNAL', `The upload failed (HTTP ${request.status}).`, 'Try again.'));
    };
    request.send(file);
  });
}
