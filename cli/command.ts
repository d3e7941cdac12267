// What a CLI command is. Each command lives in cli/commands/NAME.ts and is listed in
// cli/commands/index.ts. A command parses its arguments, calls Program/runtime, prints, and
// returns an exit code: 0 success, 1 failure found (errors, failed tests, tampering...),
// 2 usage error, 3 where a command documents it (audit verify: intact but incomplete).
// Commands never let a stack trace reach the user for a user mistake: throw UsageError for
// bad arguments, print a one-line error for bad input files.

export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Reads all of standard input (for `--request -`). */
  readonly readStdin: () => Promise<string>;
  /** Whether to colour output (a TTY without NO_COLOR). */
  readonly color: boolean;
}

export interface Command {
  readonly name: string;
  /** One line for `edict --help`. */
  readonly summary: string;
  /** Full usage text for `edict NAME --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}
