// A minimal XML reader for Maven poms (an effective pom is plain, well-formed
// XML): elements, text, comments, CDATA, processing instructions and the five
// predefined entities plus numeric references. No DTDs, no namespaces
// (prefixes stay part of the name); attributes are kept but not decoded
// beyond entities. Enough to read plugin configuration, not a general parser.

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
const ATTR = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

const decode = (s) =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e];
  });

/** Parse a document: its root element { name, attrs, children, text }. Throws on malformed input. */
export function parseXml(source) {
  const top = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [top];
  let m;
  TOKEN.lastIndex = 0;
  while ((m = TOKEN.exec(source))) {
    const cur = stack[stack.length - 1];
    if (m[7]) throw new Error(`XML: unexpected "<" at offset ${m.index}`);
    if (m[1] !== undefined) cur.text += m[1];
    else if (m[6] !== undefined) cur.text += decode(m[6]);
    else if (m[3]) {
      if (m[2] === '/') {
        if (cur.name !== m[3]) throw new Error(`XML: </${m[3]}> closes <${cur.name}> at offset ${m.index}`);
        stack.pop();
      } else {
        const attrs = {};
        for (const a of m[4].matchAll(ATTR)) attrs[a[1]] = decode(a[2] ?? a[3]);
        const el = { name: m[3], attrs, children: [], text: '' };
        cur.children.push(el);
        if (!m[5]) stack.push(el);
      }
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1].name}> is not closed`);
  const roots = top.children;
  if (roots.length !== 1) throw new Error(`XML: ${roots.length} root elements`);
  return roots[0];
}

/** Child elements named `name` (all when no name). */
export const children = (el, name) => (el ? el.children.filter((c) => !name || c.name === name) : []);
/** The first child element named `name`, or null. */
export const child = (el, name) => children(el, name)[0] ?? null;
/** The trimmed text of an element, or null for no element. */
export const text = (el) => (el ? el.text.trim() : null);
