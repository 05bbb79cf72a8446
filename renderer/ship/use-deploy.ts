import { useEffect, useState } from 'react';
import type { DeployModel, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';

/** Follows the deploy stream for `deployId` (null: nothing to follow). */
export function useDeploy(deployId: string | null): { model: DeployModel | null; error: ErrorShape | null } {
  const api = useApi();
  const [model, setModel] = useState<DeployModel | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  useEffect(() => {
    setModel(null);
    setError(null);
    if (!deployId) return;
    return api.subscribe('deploy', { deployId }, setModel, (e) => setError(toErrorShape(e)));
  }, [api, deployId]);
  return { model, error };
}
