// Reading the request of `edict eval`. Owns: getting the request text (a file or standard
// input) and parsing it as JSON with a one-line error that names line, column and what was
// expected when it is not JSON (JSON.parse's own messages often lack the position).
// Never throws: returns the value or a message.

/** Parses JSON; on failure a message like `line 3, column 9: expected a value, found '}'`. */
export function parseRequestJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // tolerate a UTF-8 BOM
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const found = findJsonError(body);
    if (found) return { ok: false, message: `line ${found.line}, column ${found.column}: ${found.message}` };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

interface JsonProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Scans JSON iteratively (no recursion: deep input is fine) and reports the first problem. */
export function findJsonError(text: string): JsonProblem | undefined {
  let i = 0;
  const at = (message: string): JsonProblem => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < i && k < text.length; k++) {
      if (text[k] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    return { line, column: col, message };
  };
  const describe = () => (i >= text.length ? "the end of the input" : `\`${text[i]}\``);
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  // Stack of open containers: "[" or "{". value() reads a scalar or an empty container
  // ("done"), or opens a container whose first element comes next ("open").
  const stack: string[] = [];
  const value = (): JsonProblem | "done" | "open" => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      i++;
      ws();
      if (text[i] === (c === "{" ? "}" : "]")) {
        i++;
        return "done";
      }
      stack.push(c);
      if (c === "{") return key() ?? "open";
      return "open";
    }
    if (c === '"') return str() ?? "done";
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (m) {
      i += m[0].length;
      return "done";
    }
    return at(`expected a value, found ${describe()}`);
  };
  const str = (): JsonProblem | undefined => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) return at("a control character inside a string (use `\\n`, `\\t`...)");
      if (text[i] === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return at("bad `\\u` escape: expected 4 hex digits");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return at(`bad escape \`\\${e ?? ""}\` in a string`);
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) return at("unterminated string");
    i++;
    return undefined;
  };
  const key = (): JsonProblem | undefined => {
    ws();
    if (text[i] !== '"') return at(`expected a property name in double quotes, found ${describe()}`);
    const p = str();
    if (p) return p;
    ws();
    if (text[i] !== ":") return at(`expected \`:\` after a property name, found ${describe()}`);
    i++;
    return undefined;
  };
  let r = value();
  for (;;) {
    if (typeof r === "object") return r;
    if (r === "open") {
      r = value();
      continue;
    }
    // After a complete value: close containers or move to the next element.
    ws();
    if (stack.length === 0) break;
    const top = stack[stack.length - 1]!;
    const close = top === "{" ? "}" : "]";
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (text[i] !== ",") return at(`expected \`,\` or \`${close}\`, found ${describe()}`);
    i++;
    ws();
    if (text[i] === close) return at(`a trailing comma before \`${close}\` is not allowed in JSON`);
    if (top === "{") {
      const p = key();
      if (p) return p;
    }
    r = value();
  }
  ws();
  if (i < text.length) return at(`unexpected ${describe()} after the JSON value`);
  return undefined;
}
