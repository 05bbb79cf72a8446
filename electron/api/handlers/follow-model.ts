/**
 * Follows a model that is re-sent on every change (build, push) until it reaches a final state or the
 * subscriber leaves. `subscribe` calls the listener at once with the current model.
 */
export function followModel<M>(
  subscribe: (listener: (model: M) => void) => () => void,
  isFinal: (model: M) => boolean,
  emit: (model: M) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    let ended = false;
    let unsubscribe: (() => void) | undefined;
    const end = () => {
      ended = true;
      unsubscribe?.();
      resolve();
    };
    unsubscribe = subscribe((model) => {
      if (ended) return;
      emit(model);
      if (isFinal(model)) end();
    });
    if (ended) unsubscribe();
    signal.addEventListener('abort', end, { once: true });
  });
}
