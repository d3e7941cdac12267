// Running the enforcer's hooks (onDecision, onDeny, onError, notify channels) off the hot
// path. Input: (hook name, handler, event) triples queued by `decide`; output: handler calls
// in a microtask after `decide` returned. Invariants: a handler that throws, rejects or never
// settles changes nothing about the decision and never delays `decide`; each such failure is
// counted and reported (onHookError, else one process warning per hook); the queue is bounded
// (overflow drops events, counted and reported) so a slow consumer cannot grow memory.

export type HookHandler<E> = (event: E) => unknown;

export interface HookFailure {
  readonly hook: string;
  readonly decisionId: string;
}

export interface HookRunnerOptions {
  readonly onHookError: ((error: Error, info: HookFailure) => void) | undefined;
  readonly timeoutMs: number;
  readonly maxQueue: number;
}

interface Pending {
  readonly hook: string;
  readonly decisionId: string;
  readonly started: number;
}

export class HookRunner {
  failures = 0;
  dropped = 0;
  private queue: unknown[] = []; // flat triples: hook, handler, event
  private scheduled = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly options: HookRunnerOptions) {}

  get inFlight(): number {
    return this.pending.size;
  }

  enqueue<E extends { readonly decisionId: string }>(hook: string, handler: HookHandler<E>, event: E): void {
    if (this.queue.length >= this.options.maxQueue * 3) {
      this.dropped++;
      if (this.dropped === 1) this.report(new Error(`hook queue full (${this.options.maxQueue} events): events are being dropped`), { hook, decisionId: event.decisionId });
      return;
    }
    this.queue.push(hook, handler, event);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.run);
    }
  }

  /** Runs everything queued now (microtask, or close()). */
  readonly run = (): void => {
    this.scheduled = false;
    const q = this.queue;
    this.queue = [];
    for (let i = 0; i < q.length; i += 3) this.call(q[i] as string, q[i + 1] as HookHandler<unknown>, q[i + 2] as { decisionId: string });
  };

  private call(hook: string, handler: HookHandler<unknown>, event: { decisionId: string }): void {
    let result: unknown;
    try {
      result = handler(event);
    } catch (e) {
      this.report(e, { hook, decisionId: event.decisionId });
      return;
    }
    if (typeof result === "object" && result !== null && typeof (result as PromiseLike<unknown>).then === "function") {
      const id = this.nextId++;
      this.pending.set(id, { hook, decisionId: event.decisionId, started: Date.now() });
      this.startSweeper();
      (result as PromiseLike<unknown>).then(
        () => this.pending.delete(id),
        (e: unknown) => {
          if (this.pending.delete(id)) this.report(e, { hook, decisionId: event.decisionId });
        },
      );
    }
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(Date.now() - this.options.timeoutMs), Math.max(10, this.options.timeoutMs / 2));
    this.sweeper.unref();
  }

  /** Reports (once) every async hook started before `cutoff` that has not settled. */
  private sweep(cutoff: number): void {
    for (const [id, p] of this.pending) {
      if (p.started > cutoff) continue;
      this.pending.delete(id);
      this.report(new Error(`did not settle within ${this.options.timeoutMs} ms`), { hook: p.hook, decisionId: p.decisionId });
    }
    if (this.pending.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  report(e: unknown, info: HookFailure): void {
    this.failures++;
    const error = e instanceof Error ? e : new Error(String(e));
    const handler = this.options.onHookError;
    if (handler) {
      try {
        handler(error, info);
        return;
      } catch {
        // fall through to the warning: the reporter itself failed
      }
    }
    if (!this.warned.has(info.hook)) {
      this.warned.add(info.hook);
      process.emitWarning(`edict: hook \`${info.hook}\` failed (decision ${info.decisionId}): ${error.message}; later failures of this hook are only counted`, "EdictHookWarning");
    }
  }

  /** Runs what is queued, waits up to the timeout for async hooks, reports the rest. */
  async close(): Promise<void> {
    this.run();
    const deadline = Date.now() + this.options.timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.sweep(Number.POSITIVE_INFINITY);
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
