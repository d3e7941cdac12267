// A small XML 1.0 well-formedness checker for the JUnit report tests (no XML parser is a
// dependency of the project). Checks: one root element, properly nested and closed tags,
// quoted attributes without `<` or a bare `&`, text without `<`, a bare `&` or `]]>`, only
// the five predefined entities and numeric references, no characters XML forbids.
// Returns the problems found (empty when the document is well-formed).

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const REFERENCE = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkCharData(text: string, where: string, problems: string[], attribute: boolean): void {
  if (INVALID_CHAR.test(text)) problems.push(`${where}: a character XML forbids`);
  if (!attribute && text.includes("]]>")) problems.push(`${where}: \`]]>\` in text`);
  for (let i = text.indexOf("&"); i >= 0; i = text.indexOf("&", i + 1)) {
    if (!REFERENCE.test(text.slice(i))) problems.push(`${where}: a bare \`&\``);
  }
}

export function checkWellFormedXml(xml: string): string[] {
  const problems: string[] = [];
  let i = 0;
  const stack: string[] = [];
  let roots = 0;
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) return ["unterminated XML declaration"];
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== "") problems.push(`text outside the root element at ${i}`);
    checkCharData(text, `text at ${i}`, problems, false);
    if (lt < 0) break;
    i = lt + 1;
    if (xml.startsWith("/", i)) {
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      const close = xml.indexOf(">", i);
      if (!name || close < 0) return [...problems, `bad closing tag at ${lt}`];
      if (stack.pop() !== name) problems.push(`closing tag </${name}> at ${lt} does not match`);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) return [...problems, `bad tag at ${lt}`];
    if (stack.length === 0 && ++roots > 1) problems.push(`a second root element <${name}>`);
    i += name.length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith("/>", i)) {
        i += 2;
        break;
      }
      if (xml.startsWith(">", i)) {
        stack.push(name);
        i += 1;
        break;
      }
      if (ws.length === 0) return [...problems, `attributes of <${name}> need whitespace between them at ${i}`];
      const attr = NAME.exec(xml.slice(i))?.[0];
      if (!attr || xml[i + attr.length] !== "=" || !['"', "'"].includes(xml[i + attr.length + 1]!)) return [...problems, `bad attribute in <${name}> at ${i}`];
      if (seen.has(attr)) problems.push(`duplicate attribute ${attr} in <${name}>`);
      seen.add(attr);
      const quote = xml[i + attr.length + 1]!;
      const start = i + attr.length + 2;
      const end = xml.indexOf(quote, start);
      if (end < 0) return [...problems, `unterminated attribute ${attr}`];
      const value = xml.slice(start, end);
      if (value.includes("<")) problems.push(`\`<\` in attribute ${attr} of <${name}>`);
      checkCharData(value, `attribute ${attr} of <${name}>`, problems, true);
      i = end + 1;
    }
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(", ")}`);
  if (roots === 0) problems.push("no root element");
  return problems;
}
