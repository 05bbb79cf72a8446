import { useEffect, useRef, useState } from 'react';
import { useProcedure } from '../app/use-procedure';

/**
 * The context folder and image tag a ship form builds, pre-filled from the project's defaults, and the
 * project's build args (the offline base image, when Berth set one).
 */
export function useProjectBuild() {
  const defaults = useProcedure('project.default', {});
  const [contextDir, setContextDir] = useState('');
  const [tag, setTag] = useState('');
  const proposed = useRef(false);
  // Proposed once, and only into empty fields: what the user typed before the defaults arrived stays.
  useEffect(() => {
    if (!defaults.data || proposed.current) return;
    proposed.current = true;
    const { contextDir: dir, tags } = defaults.data;
    setContextDir((typed) => typed || dir);
    setTag((typed) => typed || (tags[0] ?? ''));
  }, [defaults.data]);
  const buildArgs = defaults.data?.buildArgs ?? {};
  /** The build part of a request: the folder, the tag (when given) and the project's build args. */
  const build = () => ({
    contextDir: contextDir.trim(),
    tags: tag.trim() ? [tag.trim()] : [],
    ...(Object.keys(buildArgs).length > 0 && { buildArgs }),
  });
  return { contextDir, setContextDir, tag, setTag, build };
}
