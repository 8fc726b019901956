import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mermaidBlocks, parseError } from '../src/commands/mermaid.mjs';

test('finds each mermaid block and the line it starts on', () => {
  const blocks = mermaidBlocks('# title\n\n```mermaid\nflowchart LR\n  a --> b\n```\ntext\n```mermaid\npie\n```\n');
  assert.deepEqual(blocks.map((b) => b.line), [4, 9]);
  assert.equal(blocks[0].text, 'flowchart LR\n  a --> b');
});

test('a valid flowchart parses', async () => {
  assert.equal(await parseError('flowchart LR\n  clients([Clients]) --> ingress{{"Ingress"}}\n  q[("q.vision")] --> w["vision<br/>GEVENT x20"]'), null);
});

test('a broken flowchart is rejected', async () => {
  assert.notEqual(await parseError('flowchart LR\n  a[("unclosed") --> b'), null);
});
