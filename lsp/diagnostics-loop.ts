// The diagnostics loop. Owns: when diagnostics are computed and which files get them.
// After an edit and the debounce, the edited files are diagnosed at once: from the full check
// when their package is small, else from the quick check of each edited file
// (features/model.ts). The full check of a large package waits until the editor has been idle
// for `fullCheckDelayMs`; it then publishes every file of the affected packages, and any other
// file whose diagnostics changed (a file removed gets an empty list).
// Also owns the timings `edict/stats` reports (bench/lsp.mjs reads them).
// INVARIANT: a failure here is logged, never thrown: the next edit tries again.
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { ProgramSnapshot } from "../compiler/program.ts";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { pathToUri, toLspDiagnostic } from "./convert.ts";
import type { Logger } from "./guard.ts";
import { isLarge, markFullyChecked, quickDiagnostics } from "./features/model.ts";
import type { Workspace } from "./workspace.ts";

export interface LoopSettings {
  readonly debounceMs: number;
  readonly fullCheckDelayMs: number;
}

export class DiagnosticsLoop {
  private timer: NodeJS.Timeout | undefined;
  private fullTimer: NodeJS.Timeout | undefined;
  private readonly published = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly pendingFull = new Set<string>();
  private updateMs = 0;
  private runs = 0;
  private lastMs = 0;
  private fullChecks = 0;
  private lastFullMs = 0;
  private readonly recent: number[] = [];

  constructor(
    private readonly ws: Workspace,
    private readonly settings: LoopSettings,
    private readonly log: Logger,
    private readonly send: (uri: string, diagnostics: LspDiagnostic[]) => void,
  ) {}

  /** An edit (or, without a key, a workspace change): diagnose after the debounce. */
  schedule(key?: string): void {
    if (key) this.dirty.add(key), this.pendingFull.add(key);
    if (this.timer) clearTimeout(this.timer);
    if (this.fullTimer) clearTimeout(this.fullTimer), (this.fullTimer = undefined);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.safely(() => this.afterEdit());
    }, this.settings.debounceMs);
  }

  /** Time spent applying an edit (re-parsing): counted with the next diagnostics run. */
  addUpdateTime(ms: number): void {
    this.updateMs += ms;
  }

  statistics() {
    return {
      diagnosticsRuns: this.runs,
      lastDiagnosticsMs: this.lastMs,
      fullChecks: this.fullChecks,
      lastFullCheckMs: this.lastFullMs,
      /** The processing times of the last (up to 1000) runs after edits, oldest first. */
      recentDiagnosticsMs: [...this.recent],
    };
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.log(`edict: diagnostics failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  private publish(snap: ProgramSnapshot, key: string, list: readonly Diagnostic[]): void {
    const sourceOf = (f: string) => snap.source(f);
    this.send(pathToUri(key), list.flatMap((d) => toLspDiagnostic(d, sourceOf) ?? []));
  }

  private record(ms: number): void {
    ms += this.updateMs;
    this.updateMs = 0;
    this.runs++;
    this.lastMs = ms;
    this.recent.push(ms);
    if (this.recent.length > 1000) this.recent.shift();
  }

  private afterEdit(): void {
    const t0 = performance.now();
    const snap = this.ws.snapshot();
    const keys = [...this.dirty];
    if (keys.length === 0 || !keys.some((k) => snap.parsed(k) && isLarge(snap, k))) {
      this.full();
      return;
    }
    this.dirty.clear();
    for (const key of keys) {
      if (!snap.parsed(key)) continue;
      const list = quickDiagnostics(snap, key);
      this.published.set(key, signature(list));
      this.publish(snap, key, list);
    }
    this.record(performance.now() - t0);
    this.fullTimer = setTimeout(() => {
      this.fullTimer = undefined;
      this.safely(() => this.full());
    }, this.settings.fullCheckDelayMs);
  }

  private full(): void {
    const t0 = performance.now();
    const snap = this.ws.snapshot();
    const { diagnostics } = snap.check();
    markFullyChecked(snap);
    this.ws.noteChecked(snap);
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      let list = byFile.get(d.span.file);
      if (!list) byFile.set(d.span.file, (list = []));
      list.push(d);
    }
    // Every file of a package an edit touched is re-published, others only when they change.
    const force = new Set<string>();
    for (const key of [...this.dirty, ...this.pendingFull]) {
      force.add(key);
      for (const f of snap.packageOf(key)?.pkg.files ?? []) force.add(f.source.path);
    }
    const afterEdit = this.dirty.size > 0;
    this.dirty.clear();
    this.pendingFull.clear();
    for (const key of new Set([...snap.paths(), ...this.published.keys()])) {
      const list = snap.parsed(key) ? (byFile.get(key) ?? []) : [];
      const sig = signature(list);
      if (!force.has(key) && this.published.get(key) === sig) continue;
      if (!snap.parsed(key)) this.published.delete(key);
      else this.published.set(key, sig);
      this.publish(snap, key, list);
    }
    const ms = performance.now() - t0;
    if (afterEdit) this.record(ms);
    this.fullChecks++;
    this.lastFullMs = ms;
  }
}

function signature(list: readonly Diagnostic[]): string {
  return list.map((d) => `${d.code}:${d.span.start}:${d.span.end}:${d.message}`).join("\n");
}
