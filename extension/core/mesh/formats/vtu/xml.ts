// A small tag scanner over the bytes of a VTK XML file (no DOM): elements with their attributes
// and the byte range of their text, up to <AppendedData>, whose raw bytes are not XML.
import { MeshReadError } from '../../readError';
import { countLines, findBytes, latin1 } from '../../text';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Byte range of the text directly inside the element (up to the first child or the end tag). */
  textStart: number;
  textEnd: number;
  offset: number;
}

export interface XmlDoc {
  root: XmlNode;
  /** Start of appended data (after the '_'), or -1. */
  appended: number;
  appendedEncoding: string;
}

const ATTR = /([A-Za-z_:][-\w:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseXml(buf: Uint8Array, file: string): XmlDoc {
  const stack: XmlNode[] = [];
  const top: XmlNode = { name: '#doc', attrs: {}, children: [], textStart: 0, textEnd: 0, offset: 0 };
  stack.push(top);
  let p = 0;
  let appended = -1;
  let appendedEncoding = 'raw';
  while (p < buf.length) {
    const lt = buf.indexOf(60 /* < */, p);
    if (lt < 0) break;
    const cur = stack[stack.length - 1];
    if (cur.textEnd === 0 && cur.children.length === 0) cur.textEnd = lt;
    const c1 = buf[lt + 1];
    if (c1 === 63 /* ? */ || c1 === 33 /* ! */) {
      const endMark = c1 === 33 && buf[lt + 2] === 45 ? '-->' : '>';
      const e = findBytes(buf, endMark, lt + 2);
      if (e < 0) throw new MeshReadError('xml-truncated', 'unterminated XML comment or declaration', file, countLines(buf, 0, lt) + 1);
      p = e + endMark.length;
      continue;
    }
    const gt = buf.indexOf(62 /* > */, lt);
    if (gt < 0) throw new MeshReadError('xml-truncated', 'the file ends inside a tag (truncated?)', file, countLines(buf, 0, lt) + 1);
    const tag = latin1(buf, lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new MeshReadError('xml-mismatch', `closing tag </${name}> does not match <${open?.name ?? ''}>`, file, countLines(buf, 0, lt) + 1);
      if (open.textEnd === 0) open.textEnd = lt;
      p = gt + 1;
      continue;
    }
    const selfClose = tag.endsWith('/');
    const body = selfClose ? tag.slice(0, -1) : tag;
    const m = /^\s*([A-Za-z_][-\w:.]*)/.exec(body);
    if (!m) throw new MeshReadError('xml-bad-tag', `malformed tag <${body.slice(0, 40)}>`, file, countLines(buf, 0, lt) + 1);
    const attrs: Record<string, string> = {};
    ATTR.lastIndex = 0;
    for (let a = ATTR.exec(body); a; a = ATTR.exec(body)) attrs[a[1]] = a[3] ?? a[4];
    const node: XmlNode = { name: m[1], attrs, children: [], textStart: gt + 1, textEnd: selfClose ? gt + 1 : 0, offset: lt };
    cur.children.push(node);
    p = gt + 1;
    if (node.name === 'AppendedData') {
      appendedEncoding = attrs.encoding ?? 'raw';
      const us = buf.indexOf(95 /* _ */, p);
      if (us < 0) throw new MeshReadError('vtu-appended', 'AppendedData without the leading "_"', file, countLines(buf, 0, lt) + 1);
      appended = us + 1;
      break; // raw binary follows: no more tags we can trust
    }
    if (!selfClose) stack.push(node);
  }
  if (appended < 0 && stack.length > 1) {
    const open = stack[stack.length - 1];
    throw new MeshReadError('xml-truncated', `the file ends inside <${open.name}> (truncated?)`, file, countLines(buf, 0, open.offset) + 1);
  }
  return { root: top, appended, appendedEncoding };
}

export function child(n: XmlNode | undefined, name: string): XmlNode | undefined {
  return n?.children.find((c) => c.name === name);
}
