/**
 * Runs `task` for the latest argument only: while one call is in flight, later arguments replace
 * each other and only the last one runs when it settles. For live feedback while an ROI is
 * dragged: the main process measures where the ROI is now, never a backlog of where it was.
 * @param task the request (its result goes to `onDone`)
 * @param onDone called with each result, in order
 * @returns the function to call with every new argument
 */
export function latestOnly<A, R>(task: (arg: A) => Promise<R>, onDone: (result: R, arg: A) => void): (arg: A) => void {
  let busy = false;
  let next: { arg: A } | undefined;
  const run = (arg: A) => {
    if (busy) {
      next = { arg };
      return;
    }
    busy = true;
    void task(arg).then((result) => {
      busy = false;
      onDone(result, arg);
      const queued = next;
      next = undefined;
      if (queued) run(queued.arg);
    });
  };
  return run;
}
