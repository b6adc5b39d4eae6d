/** Runs the tasks given to it one after the other, in call order: an async mutex. */
export type OneAtATime = <T>(task: () => Promise<T>) => Promise<T>;

export function oneAtATime(): OneAtATime {
  let previous: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = previous.then(task);
    previous = run.catch(() => undefined);
    return run;
  };
}
