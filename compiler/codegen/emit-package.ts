// One package to JavaScript. Owns: the package's run-time table (rule metadata, frozen reasons,
// the decision cache), the rule index as code (a `switch`, or a Map lookup when there are many
// cases, per indexed path), one function per leaf of the index running its candidate rules in
// source order (straight-line direct calls, so V8 can inline small rules), the defs, the rule
// functions, and the public `decide` wrapper that never throws.
// Fast path of a leaf: every rule returns undefined or true → the decision is a frozen object
// from the trie (no allocation once warm); from the first other result on, the runner goes on
// calling its rules directly and collects the results (`$more`) for `$finish` to assemble.
import type { DefDecl } from "../syntax/ast.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import { ruleInfo } from "../eval/rule-info.ts";
import { ExprEmitter, LocalScope, type Binding, type Scope } from "./emit-expr.ts";
import { emitRule, reasonTemplate, staticMessage } from "./emit-rule.ts";
import { DeclaredTypes } from "./declared-types.ts";
import { FastExprEmitter } from "./emit-fast-expr.ts";
import { emitFastLeaf } from "./emit-fast-leaf.ts";
import { jsComment, jsJson, jsLiteral } from "./js-literal.ts";
import type { JsWriter } from "./js-writer.ts";
import { buildIndex, ruleConstraints, type IndexTree, type Leaf } from "./rule-index.ts";

export interface PackageEmitResult {
  /** The exported-decide function's name. */
  readonly decide: string;
  /** The package table variable. */
  readonly table: string;
}

/** Name resolution at package level: defs, then request fields (or `input`). */
export function packageScope(pkg: PackageModel, defNames: ReadonlyMap<string, string>): Scope {
  const fields = pkg.request ? new Set(pkg.request.fields.flatMap((f) => (f.name ? [f.name.name] : []))) : undefined;
  return {
    lookup(name: string): Binding | undefined {
      const def = this.lookupDef(name);
      if (def) return def;
      if (fields ? fields.has(name) : false) return { kind: "field", name };
      if (!fields && name === "input") return { kind: "input" };
      return undefined;
    },
    lookupDef(name: string) {
      const def = pkg.defs.get(name);
      const js = defNames.get(name);
      return def && js ? { kind: "def" as const, js, arity: def.params?.length } : undefined;
    },
  };
}

export function emitPackage(w: JsWriter, ex: ExprEmitter, pkg: PackageModel, version: string, pkgIndex: number, fastPaths: "on" | "off" | "alone" = "on"): PackageEmitResult {
  const m = ex.m;
  const locationOf = (span: { file: string; start: number }) => pkg.source(span.file)?.location(span.start) ?? `${span.file}:1:1`;
  const P = `P${pkgIndex}`;
  const defNames = new Map<string, string>();
  for (const [name] of pkg.defs) defNames.set(name, m.fresh("def", name));
  const scope = packageScope(pkg, defNames);
  const slots = new Map<string, string>();
  ex.reads.resetSlots(slots, P);
  const ruleFns = pkg.rules.map((r, i) => `rule_${i}_${(r.name?.name ?? "unnamed").replace(/[^A-Za-z0-9_]/g, "_")}`);

  // ---- the table
  w.line(`// ---- package ${jsComment(pkg.name)}: rule table, decision cache, index`);
  w.line(`const ${P} = ${m.use("$package")}(${jsLiteral(pkg.name)}, ${jsLiteral(version)}, ${pkg.defaultAllow}, [`);
  w.indent();
  const modes: number[] = [];
  const channels: number[] = [];
  pkg.rules.forEach((r, i) => {
    // ruleInfo: the interpreter's reading of annotations, so both engines agree by construction.
    const info = ruleInfo(pkg, r);
    const meta = {
      rule: info.id,
      effect: info.effect,
      mode: info.effect === "permit" ? 0 : info.enforce === "soft" ? 2 : info.enforce === "advisory" ? 3 : 1,
      id: info.externalId,
      severity: info.severity,
      message: staticMessage(reasonTemplate(r)),
      location: info.location,
      channels: info.notify,
    };
    modes.push(meta.mode);
    channels.push(meta.channels.length);
    // Only what differs from the defaults (see RuleRow in support/decisions.ts).
    const parts = [`rule: ${jsLiteral(meta.rule)}`, `effect: ${jsLiteral(meta.effect)}`];
    if (meta.mode !== (meta.effect === "permit" ? 0 : 1)) parts.push(`mode: ${meta.mode}`);
    if (meta.id !== undefined) parts.push(`id: ${jsLiteral(meta.id)}`);
    if (meta.severity !== undefined) parts.push(`severity: ${jsLiteral(meta.severity)}`);
    if (meta.message !== undefined) parts.push(`message: ${jsLiteral(meta.message)}`);
    parts.push(`location: ${jsLiteral(meta.location)}`);
    if (meta.channels.length > 0) parts.push(`channels: ${jsJson(meta.channels)}`);
    w.line(`{ ${parts.join(", ")} }, // ${i}`, r.span);
  });
  w.dedent();
  w.line(`], [${ruleFns.join(", ")}]);`);
  w.line();

  // ---- the index
  const constraints = pkg.rules.map((r) => ruleConstraints(r, scope));
  // A small package is one leaf: its fast path tests each rule's leading literal condition on a
  // local, which costs less than the index's own reads and calls (the documents example, 12
  // rules: 1.41× → 1.26× the hand-written floor).
  const tree = buildIndex(pkg.rules.length > INDEX_MIN_RULES ? constraints : constraints.map(() => []));
  const leaves = new Map<string, string>();
  const leafName = (leaf: Leaf): string => {
    const key = leaf.rules.join(",");
    let name = leaves.get(key);
    if (!name) {
      name = `${P}_run${leaves.size}`;
      leaves.set(key, name);
    }
    return name;
  };
  const entry = `${P}_index`;
  // Name the leaves `none`-chain first (the requests no case claims, and the shallow ones,
  // get the straight-line runners while the budget lasts; the rest run as data).
  const order = (t: IndexTree): void => {
    if (t.kind === "leaf") return void leafName(t);
    order(t.none);
    for (const c of t.cases.values()) order(c);
    leafName(t.all);
  };
  order(tree);
  // Leaves with a fast path (emit-fast-leaf.ts), in the same order while its budget lasts: the index
  // enters a leaf through its fast path when it has one.
  const fast = new Map<string, string>();
  let budget = fastPaths === "off" ? 0 : FAST_BUDGET(pkg.rules.length);
  for (const [key, name] of leaves) {
    const rules = key === "" ? 0 : key.split(",").length;
    budget -= rules;
    if (rules > 0 && budget >= 0) fast.set(name, name.replace(/_run(\d+)$/, "_fast$1"));
  }
  emitTree(w, ex, tree, entry, P, (l) => {
    const name = leafName(l);
    return fast.get(name) ?? name;
  });
  let straight = STRAIGHT_BUDGET(pkg.rules.length);
  for (const [key, name] of leaves) {
    const rules = key === "" ? [] : key.split(",").map(Number);
    straight -= rules.length;
    // A leaf with a fast path runs its exact code only after a bail-out: as data ($run), small.
    emitLeaf(w, ex, rules, name, P, ruleFns, straight >= 0 && !fast.has(name));
  }
  const defsByJs = new Map<string, DefDecl>();
  for (const [name, def] of pkg.defs) if (def.params === undefined) defsByJs.set(defNames.get(name)!, def);
  const types = new DeclaredTypes(pkg);
  const fx = new FastExprEmitter(m, types, defsByJs, scope);
  for (const [key, name] of leaves) {
    const fastName = fast.get(name);
    if (fastName) {
      const ids = key.split(",").map(Number);
      const dryRun = () => new FastExprEmitter(m.dry(), types, defsByJs, scope);
      emitFastLeaf(w, fx, { rules: pkg.rules, ids, name: fastName, exact: fastPaths === "alone" ? undefined : name, pkgVar: P, scope, modes, channels, defaultAllow: pkg.defaultAllow, dryRun });
    }
  }

  // ---- defs
  for (const [name, def] of pkg.defs) emitDef(w, ex, def, defNames.get(name)!, scope, locationOf(def.span));

  // ---- rules
  pkg.rules.forEach((rule, index) => {
    emitRule(w, ex, { rule, index, fnName: ruleFns[index]!, pkgVar: P, scope, location: locationOf(rule.span) });
    w.line();
  });
  // ---- memo accessors (written by the expressions above), then decide (it resets their slots)
  for (const fn of ex.reads.accessors) w.line(fn);
  if (ex.reads.accessors.length > 0) w.line();
  ex.reads.resetSlots(undefined, "S");
  const decide = `${P}_decide`;
  const slotVars = [...slots.values()];
  if (slotVars.length > 0) w.line(`var ${slotVars.join(", ")};`);
  // Per-decision memo slots (request paths, parameterless defs): empty at every decision. A
  // decide called while one is running (from a getter of the request) sets the outer
  // decision's slots aside and puts them back when it returns (a function of its own, so the
  // common one stays small).
  const busy = `${P}_busy`;
  const list = slotVars.join(", ");
  const run = (before: string[], after: string | undefined): void => {
    for (const line of before) w.line(line);
    w.line(`try {`);
    w.line(`  return ${entry}(request, options);`);
    w.line(`} catch (e) {`);
    w.line(`  return ${m.use("$crash")}(${P}, e);`);
    if (after !== undefined) w.line(`} finally {\n  ${after}`);
    w.line(`}`);
  };
  w.line(`// decide for package ${jsComment(pkg.name)}: never throws`);
  // The exact runners empty the slots when they start (see emitLeaf): a decision a fast path
  // takes never touches them.
  w.block(`function ${P}_reset() {`, () => {
    for (let i = 0; i < slotVars.length; i += 16) w.line(`${slotVars.slice(i, i + 16).join(" = ")} = undefined;`);
  });
  if (slotVars.length > 0) w.line(`var ${busy} = false;`);
  if (slotVars.length === 0) w.block(`function ${decide}(request, options) {`, () => run([], undefined));
  else {
    w.block(`function ${decide}(request, options) {`, () => run([`if (${busy}) return ${P}_nested(request, options);`, `${busy} = true;`], `${busy} = false;`));
    w.line();
    w.block(`function ${P}_nested(request, options) {`, () => run([`const saved = [${list}];`], `[${list}] = saved;`));
  }
  w.line();
  return { decide, table: P };
}

function emitDef(w: JsWriter, ex: ExprEmitter, def: DefDecl, js: string, pkgScope: Scope, location: string): void {
  const scope = new LocalScope(pkgScope);
  const params = (def.params ?? []).map((p) => {
    const name = ex.m.fresh("p", p.name?.name ?? "arg");
    if (p.name) scope.bind(p.name.name, { kind: "local", js: name, mayBeUnbound: false });
    return name;
  });
  w.line(`// ${jsComment(location)} def ${jsComment(def.name?.name ?? "")}`);
  w.block(`function ${js}(${["$r", ...params].join(", ")}) {`, () => w.line(`return ${ex.emit(def.body, scope).code};`, def.body?.span), "}", def.span);
  w.line();
}

const MAP_THRESHOLD = 8;

/** Packages with at most this many rules get no index (see emitPackage). */
const INDEX_MIN_RULES = 16;

/**
 * Rules inlined into fast paths over all leaves, in index order (the leaves no case claims
 * first); beyond it, leaves run the exact code only. A policy up to about a thousand rules
 * gets a fast path on every leaf; a 10,000-rule one on its general leaves, which keeps its
 * module (+0.7 MB) and `edict compile` time (+~10 %) in bounds.
 */
const FAST_BUDGET = (rules: number): number => Math.min(rules + 1024, 2048);

/** Rule calls written out as straight-line code over all runners (beyond: runners as data, see `$run`). */
const STRAIGHT_BUDGET = (rules: number): number => 2 * rules + 2048;

function emitTree(w: JsWriter, ex: ExprEmitter, tree: IndexTree, name: string, P: string, leafName: (l: Leaf) => string): void {
  const m = ex.m;
  if (tree.kind === "leaf") {
    w.block(`function ${name}($r, o) {`, () => w.line(`return ${leafName(tree)}($r, o);`));
    w.line();
    return;
  }
  const children: [IndexTree, string][] = [];
  const target = (t: IndexTree): string => {
    if (t.kind === "leaf") return leafName(t);
    const n = m.fresh(`${P}_index`);
    children.push([t, n]);
    return n;
  };
  const path = keyReader(w, ex, tree.path, P);
  const none = target(tree.none);
  const all = leafName(tree.all);
  const cases = [...tree.cases].map(([v, t]) => [v, target(t)] as const);
  w.line(`// index on ${jsComment(tree.path.join("."))}: ${cases.length} value${cases.length === 1 ? "" : "s"}`);
  if (cases.length > MAP_THRESHOLD) {
    const map = m.fresh(`${P}_cases`);
    w.line(`const ${map} = new Map([${cases.map(([v, t]) => `[${jsLiteral(v)}, ${t}]`).join(", ")}]);`);
    w.block(`function ${name}($r, o) {`, () => {
      w.line(`const k = ${path}($r);`);
      w.line(`if (typeof k === "string") return (${map}.get(k) ?? ${none})($r, o);`);
      w.line(`return k === ${m.use("$ALL")} ? ${all}($r, o) : ${none}($r, o);`);
    });
  } else {
    w.block(`function ${name}($r, o) {`, () => {
      w.line(`const k = ${path}($r);`);
      w.block(`switch (k) {`, () => {
        for (const [v, t] of cases) w.line(`case ${jsLiteral(v)}: return ${t}($r, o);`);
      });
      w.line(`return k === ${m.use("$ALL")} ? ${all}($r, o) : ${none}($r, o);`);
    });
  }
  w.line();
  for (const [t, n] of children) emitTree(w, ex, t, n, P, leafName);
}

const keyReaders = new WeakMap<ExprEmitter, Map<string, string>>();

/**
 * The index's read of one request path, as its own function with constant property names (a
 * generic walk over a path array was 6 % of a decision): the value, or `$ALL` when the path
 * cannot be read (then every rule runs and reports its own error). A value read is what the
 * rules' own reads (`$field`/`$ga`: own property of a record, not undefined) would give, so it
 * fills the per-decision memo slots of the path and its prefixes.
 */
function keyReader(w: JsWriter, ex: ExprEmitter, path: readonly string[], P: string): string {
  let byPath = keyReaders.get(ex);
  if (!byPath) keyReaders.set(ex, (byPath = new Map()));
  const id = `${P}:${JSON.stringify(path)}`;
  const hit = byPath.get(id);
  if (hit) return hit;
  const name = ex.m.fresh(`${P}_key`);
  byPath.set(id, name);
  const m = ex.m;
  const ALL = m.use("$ALL");
  w.block(`function ${name}(v) {`, () => {
    w.line("let x;");
    for (const k of path) {
      const key = jsLiteral(k);
      w.line(`if (typeof v !== "object" || v === null || Array.isArray(v)) return ${ALL};`);
      w.line(`x = v[${key}];`);
      w.line(`if (x === undefined || !${ex.reads.own("v", key)}) return ${ALL};`);
      w.line(`v = x;`);
    }
    w.line(`return v;`);
  });
  w.line();
  return name;
}

function emitLeaf(w: JsWriter, ex: ExprEmitter, rules: readonly number[], name: string, P: string, ruleFns: readonly string[], straight: boolean): void {
  const m = ex.m;
  w.line(`// runs ${rules.length} rule${rules.length === 1 ? "" : "s"}`);
  w.block(`function ${name}($r, o) {`, () => {
    if (rules.length === 0) {
      w.line(`return ${P}.root.d;`);
      return;
    }
    w.line(`${P}_reset();`);
    if (!straight) {
      const list = m.hoist(`list:${rules.join(",")}`, "K", () => `Object.freeze([${rules.join(", ")}])`);
      w.line(`return ${m.use("$run")}(${P}, $r, o, ${list});`);
      return;
    }
    // `a`: the results once one was not `true` (then the decision is assembled, not cached).
    w.line(`let n = ${P}.root, x, a;`);
    rules.forEach((i) => {
      w.line(`x = ${ruleFns[i]}($r);`);
      w.line(`if (x !== undefined) { if (x === true && a === undefined) n = n.s(${i}); else a = ${m.use("$more")}(a, n, ${i}, x, o); }`);
    });
    w.line(`if (a !== undefined) return ${m.use("$finish")}(a);`);
    w.line(`return n.soft ? ${m.use("$done")}(${P}, n, o) : n.d;`);
  });
  w.line();
}
