// The ONE library of Edict run-time operations. Owns nothing itself: re-exports every builtin
// for the interpreter (compiler/eval) and for compiled modules (codegen imports from here and
// esbuild inlines only what is used). Every module below is dependency-free, side-effect-free
// at load and made of plain exported functions, so it tree-shakes.
export { EdictError, errorMessage, fail } from "./error.ts";
export { Duration, Ip, Time, describeKind, formatDuration, formatIp, formatTime, isRecord, quote } from "./wrappers.ts";
export {
  durationHours,
  durationMinutes,
  durationSeconds,
  fnDuration,
  fnTime,
  makeDuration,
  makeTime,
  parseDurationMs,
  parseTimeMs,
  temporalOf,
  timeHour,
  timeMinute,
  timeWeekday,
  toDuration,
  toTime,
} from "./time.ts";
export { fnIp, ipContains, ipEquals, ipInto, ipIsIpv4, ipIsIpv6, ipIsLoopback, ipIsPrivate, parseIp, rangeContainsText, toIp } from "./ip.ts";
export { getAttr, getIndex, hasAttr, iterate, makeRecord, recordWith, renderValue, renderValue as renderTemplateValue, setField, truthy } from "./access.ts";
export { add, div, equals, ge, gt, inOp, le, lt, mod, mul, neg, notEquals, sub } from "./operators.ts";
export { compileGlob, compileRegex, like, likeGlob, matchesRegex, REGEX_FLAGS, strContains, strEndsWith, strLower, strSize, strStartsWith, strTrim, strUpper, type Glob } from "./text.ts";
export { collContains, collContainsAll, collContainsAny, collIsEmpty, collSize, mapContains, mapIsEmpty, mapKeys, mapSize, mapValues } from "./collections.ts";
export { callFunction, callMethod, contains, isBuiltinFunction, isEmpty, methodNames, size } from "./dispatch.ts";
