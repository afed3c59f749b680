export interface Logger {
  info(message: string): void;
  error(message: string, err?: unknown): void;
}

/** Logs to stderr so CLI JSON on stdout stays clean. */
export const consoleLogger: Logger = {
  info: (message) => console.error(`[concord] ${message}`),
  error: (message, err) =>
    console.error(`[concord] ${message}`, err instanceof Error ? (err.stack ?? err.message) : (err ?? '')),
};

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
