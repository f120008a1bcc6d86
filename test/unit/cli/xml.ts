// A strict reader for the XML subset reports use (declaration, elements, attributes, text,
// the five predefined entities and numeric references). Throws on anything not well-formed,
// so tests can check that a JUnit report is valid XML without a new dependency.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare '&' near offset ${where}`);
    if (body in ENTITIES) return ENTITIES[body] as string;
    const numeric = /^#(?:x([0-9a-fA-F]+)|(\d+))$/.exec(body);
    if (!numeric) throw new Error(`unknown entity ${match} near offset ${where}`);
    return String.fromCodePoint(parseInt(numeric[1] ?? numeric[2] ?? '', numeric[1] ? 16 : 10));
  });
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

export function parseXml(text: string): XmlElement {
  for (const ch of text)
    if (!isXmlChar(ch.codePointAt(0) ?? 0))
      throw new Error(`character U+${(ch.codePointAt(0) ?? 0).toString(16)} is not allowed in XML`);
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    pos = end + 2;
  }
  skipSpace();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < text.length) {
    if (text[pos] !== '<') {
      const next = text.indexOf('<', pos);
      const raw = text.slice(pos, next < 0 ? text.length : next);
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (raw.trim()) throw new Error(`text outside the root element at offset ${pos}`);
      } else {
        if (raw.includes(']]>')) throw new Error(`']]>' in text at offset ${pos}`);
        parent.text += decode(raw, pos);
      }
      pos = next < 0 ? text.length : next;
      continue;
    }
    if (text.startsWith('</', pos)) {
      const match = NAME.exec(text.slice(pos + 2));
      const open = stack.pop();
      if (!match || !open || match[0] !== open.name) throw new Error(`mismatched closing tag at offset ${pos}`);
      pos += 2 + match[0].length;
      skipSpace();
      if (text[pos] !== '>') throw new Error(`expected '>' at offset ${pos}`);
      pos++;
      continue;
    }
    const match = NAME.exec(text.slice(pos + 1));
    if (!match) throw new Error(`bad tag at offset ${pos}`);
    const element: XmlElement = { name: match[0], attributes: {}, children: [], text: '' };
    pos += 1 + match[0].length;
    for (;;) {
      const before = pos;
      skipSpace();
      if (text.startsWith('/>', pos) || text[pos] === '>') break;
      if (pos === before) throw new Error(`expected whitespace before an attribute at offset ${pos}`);
      const attr = NAME.exec(text.slice(pos));
      if (!attr) throw new Error(`bad attribute at offset ${pos}`);
      pos += attr[0].length;
      if (text[pos] !== '=' || (text[pos + 1] !== '"' && text[pos + 1] !== "'"))
        throw new Error(`attribute ${attr[0]} without a quoted value at offset ${pos}`);
      const quote = text[pos + 1] as string;
      const end = text.indexOf(quote, pos + 2);
      if (end < 0) throw new Error(`unterminated attribute at offset ${pos}`);
      const raw = text.slice(pos + 2, end);
      if (raw.includes('<')) throw new Error(`'<' in attribute value at offset ${pos}`);
      if (attr[0] in element.attributes) throw new Error(`duplicate attribute ${attr[0]} at offset ${pos}`);
      element.attributes[attr[0]] = decode(raw, pos);
      pos = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error(`second root element at offset ${pos}`);
    else root = element;
    if (text.startsWith('/>', pos)) pos += 2;
    else {
      pos++;
      stack.push(element);
    }
  }
  if (stack.length) throw new Error(`unclosed element <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    if (e.name === name) found.push(e);
    e.children.forEach(visit);
  };
  visit(element);
  return found;
}
