// One guarded wrapper for every request handler: the server never dies and always answers.
// A handler that throws is logged and answered with its fallback; a cancelled request is
// answered with the fallback without running the handler.
import type { CancellationToken } from "vscode-languageserver";

export type Logger = (message: string) => void;

export function guard<P, R>(
  name: string,
  log: Logger,
  fallback: R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    if (token?.isCancellationRequested) return fallback;
    try {
      const result = await handler(params, token);
      return result ?? fallback;
    } catch (e) {
      log(`edict: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}
