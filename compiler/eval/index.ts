// compiler/eval: the reference interpreter and explain traces (public surface of the phase).
export { DEV_VERSION, evaluatePackage, explainPackage, validOverride, type EvaluateOptions } from "./evaluate.ts";
export { formatTrace, abbreviate, type RuleTrace, type Trace, type TraceStep, type TraceValue } from "./trace.ts";
export { annotationValue, ruleAnnotations, ruleInfo, type Enforcement, type RuleInfo } from "./rule-info.ts";
