// Expands a VS Code snippet body the way the editor does when every placeholder is accepted as
// is: `$1`/`${1}` mirrors, `${1:default}` (nested), `${1|a,b|}` (first choice), `$0`, and the
// escapes `\$`, `\}`, `\\`. Throws on an unclosed `${`. Only what the snippet grammar needs
// for the tests in manifest.test.ts.

export function expandSnippet(body: string): string {
  const values = new Map<string, string>();
  let i = 0;
  const parse = (inside: boolean): string => {
    let out = "";
    while (i < body.length) {
      const c = body[i]!;
      if (c === "\\" && i + 1 < body.length && "$}\\".includes(body[i + 1]!)) {
        out += body[i + 1];
        i += 2;
      } else if (inside && c === "}") {
        return out;
      } else if (c === "$" && /[0-9]/.test(body[i + 1] ?? "")) {
        const m = /^\$(\d+)/.exec(body.slice(i))!;
        i += m[0].length;
        out += values.get(m[1]!) ?? "";
      } else if (c === "$" && body[i + 1] === "{") {
        const m = /^\$\{(\d+)/.exec(body.slice(i));
        if (!m) throw new Error(`unsupported snippet syntax at ${i}`);
        i += m[0].length;
        let value = "";
        if (body[i] === ":") {
          i++;
          value = parse(true);
        } else if (body[i] === "|") {
          const end = body.indexOf("|}", i);
          value = body.slice(i + 1, end).split(",")[0]!;
          i = end + 1;
        }
        if (body[i] !== "}") throw new Error(`unclosed placeholder \${${m[1]} in snippet`);
        i++;
        if (!values.has(m[1]!)) values.set(m[1]!, value);
        out += values.get(m[1]!)!;
      } else {
        out += c;
        i++;
      }
    }
    if (inside) throw new Error("unclosed placeholder in snippet");
    return out;
  };
  return parse(false);
}
