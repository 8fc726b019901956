// `layout`: an output folder holds environment folders, argocd/, helm/ and
// README.md only, and an environment folder only whole objects besides its
// kustomization.yaml: a patch file, a partial object, a non-YAML file and a
// folder such as the old rule-tests/ each fail, naming the file.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wholeObjectMissing } from '../src/commands/layout.mjs';
import { FIXTURES, cli } from './helpers.mjs';

const GOOD = path.join(FIXTURES, 'good');

/** An output folder: dev/ (a copy of the good fixture), argocd/, helm/ and README.md, plus `extra` files; removed afterwards. */
function withOutput(extra, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-layout-'));
  try {
    fs.cpSync(GOOD, path.join(dir, 'dev'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'argocd'));
    fs.mkdirSync(path.join(dir, 'helm'));
    fs.writeFileSync(path.join(dir, 'README.md'), '# out\n');
    for (const [name, text] of Object.entries(extra)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('an output folder of environments, argocd/, helm/ and README.md passes', () => {
  withOutput({}, (dir) => {
    const r = cli('layout', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK File\/api\.yaml \S+dev\/api\.yaml$/m);
    assert.match(r.stdout, /^OK Output\/README\.md /m);
    assert.doesNotMatch(r.stdout, /kustomization\.yaml/);
  });
});

test('a folder or file that is no environment, argocd/, helm/ nor README.md fails', () => {
  withOutput({ 'rule-tests/dev.test.yaml': 'tests: []\n', 'notes.txt': 'x\n' }, (dir) => {
    const r = cli('layout', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(r.summary.slice(1), [2]);
    assert.match(r.stdout, /^FAIL Output\/rule-tests \S+rule-tests: not an environment folder \(one with a kustomization\.yaml\), argocd\/, helm\/ nor README\.md/m);
    assert.match(r.stdout, /^FAIL Output\/notes\.txt \S+notes\.txt: not an environment folder/m);
  });
});

test('a patch file, a partial object and a non-YAML file in an environment fail, naming file and document', () => {
  const kustomization = `${fs.readFileSync(path.join(GOOD, 'kustomization.yaml'), 'utf8')}patches:\n  - path: patches/spot.yaml\n`;
  const spot = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: growbin-backend-api-async-vision\nspec: {}\n';
  withOutput({
    'dev/kustomization.yaml': kustomization,
    'dev/patches/spot.yaml': spot,
    'dev/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n- op: add\n  path: /x\n  value: 1\n---\nkind: ConfigMap\nmetadata: {}\n',
    'dev/notes.md': '# notes\n',
  }, (dir) => {
    const r = cli('layout', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL File\/patches\/spot\.yaml \S+dev\/patches\/spot\.yaml: a kustomize patch \(kustomization\.yaml: patches\/spot\.yaml\): a partial object/m);
    assert.match(r.stdout, /^FAIL File\/extra\.yaml \S+dev\/extra\.yaml: document 2 \(line 5\) is not a whole object: no mapping \(it is a list or a scalar\); document 3 \(line 9\) is not a whole object: no apiVersion, metadata\.name$/m);
    assert.match(r.stdout, /^FAIL File\/notes\.md \S+dev\/notes\.md: not a YAML file/m);
  });
});

test('a folder without any environment fails: the check would pass on nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-layout-'));
  try {
    const r = cli('layout', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /no environment folder/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('wholeObjectMissing names what a document lacks', () => {
  assert.deepEqual(wholeObjectMissing({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }), []);
  assert.deepEqual(wholeObjectMissing({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '' } }), ['metadata.name']);
  assert.deepEqual(wholeObjectMissing({ kind: 1 }), ['apiVersion', 'kind', 'metadata.name']);
});
