// A small, strict argument parser: known flags only, `--flag value` or `--flag=value`,
// booleans without a value. Unknown flags and missing values are usage errors (exit 2).

export class UsageError extends Error {}

export interface FlagSpec {
  /** "boolean" flags take no value; "string" flags take one; "list" flags may repeat. */
  readonly [name: string]: "boolean" | "string" | "list";
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Record<string, string | boolean | string[] | undefined>;
}

export function parseArgs(argv: readonly string[], spec: FlagSpec, command: string): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") || (arg.startsWith("-") && arg.length > 1 && arg !== "-")) {
      const eq = arg.indexOf("=");
      const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, "");
      const kind = spec[name];
      if (kind === undefined) {
        throw new UsageError(`unknown option \`${arg.slice(0, eq >= 0 ? eq : undefined)}\` for \`edict ${command}\` (see \`edict ${command} --help\`)`);
      }
      if (kind === "boolean") {
        if (eq >= 0) throw new UsageError(`option \`--${name}\` takes no value`);
        flags[name] = true;
        continue;
      }
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      if (value === undefined) throw new UsageError(`option \`--${name}\` needs a value`);
      if (kind === "list") {
        const prev = flags[name];
        flags[name] = Array.isArray(prev) ? [...prev, value] : [value];
      } else {
        flags[name] = value;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === "string" ? v : undefined;
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`\`--${flag}\` must be one of ${allowed.map((a) => `\`${a}\``).join(", ")}, not \`${value}\``);
}
