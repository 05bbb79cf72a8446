import { useEffect, useState } from 'react';
import type { BuildModel, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';

/** The latest model of one build from the `build` stream (each event is the whole model). */
export function useBuildStream(buildId: string | null) {
  const api = useApi();
  const [model, setModel] = useState<BuildModel | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  useEffect(() => {
    setModel(null);
    setError(null);
    if (!buildId) return;
    return api.subscribe(
      'build',
      { buildId },
      (event) => setModel(event),
      (e) => setError(toErrorShape(e)),
    );
  }, [api, buildId]);
  return { model, error };
}
