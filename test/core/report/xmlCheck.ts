/**
 * A small well-formedness check of XML (the report's SVG figures), without a DOM: every tag
 * closes in order, attributes are name="value" pairs with unique names, and text and attribute
 * values hold no raw "<" and no "&" outside a character or entity reference.
 * @returns the problems found; empty when the text is well-formed
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;
  const checkText = (text: string, where: string) => {
    const stripped = text.replace(entity, '');
    if (stripped.includes('&')) problems.push(`raw & in ${where}: ${text.slice(0, 60)}`);
    if (stripped.includes('<')) problems.push(`raw < in ${where}: ${text.slice(0, 60)}`);
  };
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    checkText(text, 'text');
    if (lt < 0) break;
    if (xml.startsWith('<?xml', lt)) {
      i = xml.indexOf('?>', lt) + 2;
      continue;
    }
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) {
      problems.push(`malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
      break;
    }
    const [, closing, name, attrs, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      if (stack.length === 0) roots++;
      const names = [...attrs!.matchAll(/([^\s=]+)\s*=\s*"([^"]*)"/g)];
      const seen = new Set<string>();
      for (const [, attr, value] of names) {
        if (seen.has(attr!)) problems.push(`attribute ${attr} twice on <${name}>`);
        seen.add(attr!);
        checkText(value!, `attribute ${attr} of <${name}>`);
      }
      if (!selfClosing) stack.push(name!);
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The numbers of every coordinate-like attribute and path of an SVG (for NaN / Infinity checks). */
export function svgAttributes(svg: string): { name: string; value: string }[] {
  return [...svg.matchAll(/\s([\w:-]+)="([^"]*)"/g)].map((m) => ({ name: m[1]!, value: m[2]! }));
}
