// `manifest-check mermaid FILE...`: every ```mermaid block of a Markdown file
// (such as the generated k8s-out/README.md) must parse with Mermaid itself,
// the library GitHub renders diagrams with, so the picture shows up instead of
// a "Unable to render rich display" box. Mermaid needs a DOM: jsdom gives it one.
import fs from 'node:fs';
import { Report } from '../report.mjs';

export const HELP = `manifest-check mermaid [options] FILE...
  Parses every \`\`\`mermaid block of each Markdown FILE with Mermaid (pinned in
  package.json) and fails a block that does not parse, naming its line.
  A file without a mermaid block fails too: the check would otherwise pass on nothing.
  -q, --quiet         print only FAIL lines and the summary`;

export function parseArgs(args) {
  const opts = { quiet: false, files: [] };
  for (const a of args) {
    if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.files.push(a);
  }
  if (!opts.files.length) throw Object.assign(new Error('no FILE given'), { usage: true });
  return opts;
}

/** The mermaid blocks of a Markdown text, each with the line its first diagram line is on. */
export function mermaidBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '```mermaid') {
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end].trim() !== '```') end++;
      blocks.push({ line: start + 1, text: lines.slice(start, end).join('\n') });
      i = end;
    }
  }
  return blocks;
}

let mermaidInstance;

async function loadMermaid() {
  if (!mermaidInstance) {
    const { JSDOM } = await import('jsdom');
    const dom = new JSDOM('<!DOCTYPE html><body></body>');
    globalThis.window = dom.window;
    globalThis.document = dom.window.document;
    const { default: mermaid } = await import('mermaid');
    mermaid.initialize({ startOnLoad: false });
    mermaidInstance = mermaid;
  }
  return mermaidInstance;
}

/** null when the diagram parses, else the parser's first lines. */
export async function parseError(diagram) {
  const mermaid = await loadMermaid();
  try {
    await mermaid.parse(diagram);
    return null;
  } catch (e) {
    return String(e.message || e).split('\n').slice(0, 3).join(' ').trim();
  }
}

export async function runMermaid(args) {
  const opts = parseArgs(args);
  const report = new Report({ quiet: opts.quiet });
  for (const file of opts.files) {
    const blocks = mermaidBlocks(fs.readFileSync(file, 'utf8'));
    if (!blocks.length) {
      report.fail('Mermaid/-', file, 'no ```mermaid block');
      continue;
    }
    for (const block of blocks) {
      const error = await parseError(block.text);
      report.result(`Mermaid/line-${block.line}`, file, error ? [error] : []);
    }
  }
  return report.finish();
}
