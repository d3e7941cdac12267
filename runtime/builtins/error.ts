// The one run-time error of Edict. Owns: EdictError, thrown by every builtin when a policy
// meets a value it cannot work with (a missing attribute, a wrong kind, a bad time...).
// The interpreter and compiled code catch it per rule and report it in `decision.errors`
// (fail closed); it never escapes `decide`. Messages are in Edict words, lowercase, one line.

export class EdictError extends Error {
  /** `file:line:col` of the failing expression, filled in by whoever knows it. */
  location: string | undefined;

  constructor(message: string) {
    super(message);
    this.name = "EdictError";
    this.location = undefined;
  }
}

/** Throws an EdictError; an expression-shaped helper for generated code. */
export function fail(message: string): never {
  throw new EdictError(message);
}

/**
 * The message a decision reports for anything thrown while evaluating a rule: an EdictError's
 * own message, a JS stack overflow (absurdly deep input) in Edict words, anything else as an
 * internal error. The interpreter and compiled code both use it, so their errors agree.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof EdictError) return e.message;
  if (e instanceof RangeError) return "evaluation is too deep (the input is nested too deeply or contains itself)";
  if (e instanceof Error) return `internal error: ${e.message}`;
  return "internal error";
}
