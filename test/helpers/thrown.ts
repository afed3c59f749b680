/**
 * The error of type `type` that `run` throws, to look at its fields; any other error is thrown
 * on, and returning normally fails the test.
 */
export function thrown<E extends Error>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}`);
}
