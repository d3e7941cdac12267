// Run-time support of compiled policies: NOT imported by the compiler, but bundled by esbuild
// into every generated module next to the builtins it uses (see ../prelude.ts, which names
// these exports). Two parts: located.ts (sentinels, the location table, the checked operations
// that put a source location on an EdictError) and decisions.ts (rule results to a Decision,
// the cache of frozen decisions).
// INVARIANT (exactly the interpreter's semantics): see language.md §6 and compiler/eval.
export * from "./located.ts";
export * from "./decisions.ts";
