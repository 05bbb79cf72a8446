/** Test support: follows one contract stream through the router until it ends on its own, or a deadline. */
import type { BerthError } from '../../contract';
import type { Router } from '../router';

export function followStream<T>(router: Router, stream: string, params: object, deadlineMs: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const events: T[] = [];
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`The ${stream} stream did not end within ${deadlineMs} ms`));
    }, deadlineMs);
    const stop = router.subscribe(
      stream,
      params,
      (event) => {
        events.push(event as T);
      },
      (error: BerthError) => {
        clearTimeout(timer);
        reject(error);
      },
      () => {
        clearTimeout(timer);
        resolve(events);
      },
    );
  });
}
