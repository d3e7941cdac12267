// Signature help. Owns: the signature shown while typing the arguments of a call: builtin
// functions (`ip`, `time`, `duration`), builtin methods (by the receiver's static type), defs
// with parameters, and `count(x in c where p)`. Found from the tokens (the innermost unclosed
// `(`), so it works while the call is half-typed.
// Input: (snapshot, file, offset). Output: a label, parameter labels, the active parameter.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { BUILTIN_FUNCTIONS, lookupMethod, signatureLabel, type BuiltinSignature } from "../../compiler/semantics/builtins.ts";
import { typeToString } from "../../compiler/semantics/types.ts";
import { typeOfTokensBefore } from "./completion.ts";
import { defParams, typeText } from "./describe.ts";
import { lexSource, openerBefore, tokenBefore } from "./tokens.ts";
import { modelOf } from "./model.ts";

export interface SignatureData {
  readonly label: string;
  readonly params: readonly string[];
  readonly documentation?: string;
  readonly active: number;
}

export function signatureHelp(snapshot: ProgramSnapshot, file: string, offset: number, lastGood?: ProgramSnapshot): SignatureData | undefined {
  const source = snapshot.source(file);
  if (!source) return undefined;
  const { tokens } = lexSource(source);
  let i = tokenBefore(tokens, offset);
  // Only inside the parentheses: `f(|`, not `f|(`.
  for (let guard = 0; guard < 8; guard++) {
    const open = openerBefore(tokens, i);
    if (open < 0) return undefined;
    if (tokens[open]!.image !== "(") {
      i = open - 1;
      continue;
    }
    const name = tokens[open - 1];
    if (!name || (name.kind !== "name" && name.kind !== "keyword")) return undefined;
    let active = 0;
    let depth = 0;
    for (let k = open + 1; k < tokens.length && tokens[k]!.start < offset; k++) {
      const s = tokens[k]!.image;
      if (s === "(" || s === "[" || s === "{") depth++;
      else if (s === ")" || s === "]" || s === "}") depth--;
      else if (s === "," && depth === 0) active++;
    }
    if (name.image === "count") {
      return { label: "count(x in collection where condition): Number", params: ["x in collection", "where condition"], active: 0, documentation: "How many elements satisfy the condition (all of them without `where`)." };
    }
    if (tokens[open - 2]?.image === ".") {
      const receiver = typeOfTokensBefore(snapshot, file, offset, tokens, open - 3, lastGood);
      const m = receiver && lookupMethod(receiver, name.image);
      if (!m || !receiver) return undefined;
      return fromBuiltin(m.signature(receiver), active);
    }
    const builtin = BUILTIN_FUNCTIONS.get(name.image);
    if (builtin) return fromBuiltin(builtin, active);
    const checked = modelOf(snapshot, file) ?? lastGood?.packageOf(file);
    const def = checked?.lookupDef(name.image);
    if (def?.decl?.kind === "DefDecl" && def.decl.params) {
      const params = defParams(def.decl, snapshot.source(def.decl.span.file)?.text ?? lastGood?.source(def.decl.span.file)?.text);
      return { label: `${def.name}(${params.join(", ")}): ${typeText(def.type)}`, params, active, ...(def.doc ? { documentation: def.doc } : {}) };
    }
    return undefined;
  }
  return undefined;
}

function fromBuiltin(sig: BuiltinSignature, active: number): SignatureData {
  return { label: signatureLabel(sig, typeToString), params: sig.params.map((p) => `${p.name}: ${typeToString(p.type)}`), documentation: sig.doc, active };
}
