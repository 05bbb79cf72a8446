import { useEffect, useState } from 'react';
import type { DockerfileFile, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';

export type DockerfileState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'data'; file: DockerfileFile }
  | { status: 'error'; error: ErrorShape };

/** How long typing must pause before the Dockerfile is read again. */
export const DOCKERFILE_READ_DELAY_MS = 300;

/**
 * The Dockerfile of a context folder (text and outline) through `dockerfile.read`, read again when the
 * folder or the file name changes (after a short pause while typing). Answers to older paths are dropped.
 */
export function useDockerfile(contextDir: string | null, dockerfile: string, delayMs = 0): DockerfileState {
  const api = useApi();
  const [state, setState] = useState<DockerfileState>({ status: 'idle' });
  useEffect(() => {
    const dir = contextDir?.trim() ?? '';
    if (!dir) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState({ status: 'loading' });
    const read = () =>
      api.call('dockerfile.read', { contextDir: dir, dockerfile: dockerfile.trim() || 'Dockerfile' }).then(
        (file) => current && setState({ status: 'data', file }),
        (error: unknown) => current && setState({ status: 'error', error: toErrorShape(error) }),
      );
    if (delayMs <= 0) {
      void read();
      return () => {
        current = false;
      };
    }
    const timer = setTimeout(read, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, contextDir, dockerfile, delayMs]);
  return state;
}
