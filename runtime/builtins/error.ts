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
