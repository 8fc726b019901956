// `kustomize` runs the real kubectl: the good fixture passes; a file left out of
// kustomization.yaml, a transformer that changes objects, a generator that adds
// one, a duplicate and a broken kustomization each fail.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { differences, findKubectl } from '../src/commands/kustomize.mjs';
import { FIXTURES, cli } from './helpers.mjs';

const GOOD = path.join(FIXTURES, 'good');
const GOOD_KUSTOMIZATION = fs.readFileSync(path.join(GOOD, 'kustomization.yaml'), 'utf8');

/** A copy of the good fixture with another kustomization.yaml (and extra files); removed afterwards. */
function withCopy(kustomization, extraFiles, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-kustomize-'));
  try {
    for (const f of fs.readdirSync(GOOD)) fs.copyFileSync(path.join(GOOD, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization);
    for (const [name, text] of Object.entries(extraFiles)) fs.writeFileSync(path.join(dir, name), text);
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('kubectl is installed (scripts/install-tools.sh)', () => {
  assert.ok(findKubectl(), 'kubectl not found: run scripts/install-tools.sh');
});

test('good fixture: kustomize yields exactly its objects', () => {
  const r = cli('kustomize', GOOD);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [11, 0]);
  assert.match(r.stdout, /^OK Kustomization\/good .*\(10 objects, kubectl v1\.\d+/m);
  assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-rest-waste .*api\.yaml$/m);
});

test('a file not listed in kustomization.yaml: its objects are missing', () => {
  withCopy(GOOD_KUSTOMIZATION.replace('  - worker.yaml\n', ''), {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL Deployment\/\S+ \S+worker\.yaml: missing from the kubectl kustomize output/m);
    assert.match(r.stdout, /^FAIL Kustomization\/\S+ .*yields 8 objects, the folder has 10/m);
  });
});

test('a transformer that changes objects fails, naming the field', () => {
  withCopy(`${GOOD_KUSTOMIZATION}commonAnnotations:\n  team: platform\n`, {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL Service\/\S+ \S+api\.yaml: changed by kustomize: metadata\.annotations: \(absent\) -> \{"team":"platform"\}$/m);
  });
  withCopy(`${GOOD_KUSTOMIZATION}namePrefix: x-\n`, {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL Deployment\/growbin-backend-api-rest-waste .*missing from the kubectl kustomize output/m);
    assert.match(r.stdout, /^FAIL Deployment\/x-growbin-backend-api-rest-waste kubectl kustomize .*added by kustomize/m);
  });
});

test('a generator that adds an object fails', () => {
  withCopy(`${GOOD_KUSTOMIZATION}configMapGenerator:\n  - name: extra\n    literals: [A=b]\n`, {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL ConfigMap\/extra-\S+ kubectl kustomize .*not an object of any file of the folder/m);
  });
});

test('an object defined twice in the folder fails', () => {
  const copy = fs.readFileSync(path.join(GOOD, 'worker.yaml'), 'utf8');
  withCopy(GOOD_KUSTOMIZATION, { 'copy.yaml': copy }, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /copy\.yaml: defined twice in the folder|worker\.yaml: defined twice in the folder/);
  });
});

test('kubectl kustomize errors and a missing kustomization.yaml fail', () => {
  withCopy(`${GOOD_KUSTOMIZATION}  - gone.yaml\n`, {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL Kustomization\/\S+ \S+kustomization\.yaml: kubectl kustomize failed: .*gone\.yaml/m);
  });
  const r = cli('kustomize', path.join(FIXTURES, 'bad-promql'));
  assert.equal(r.status, 1);
  assert.match(r.stdout, /no kustomization\.yaml in this folder/);
});

test('differences names paths and values, list items by index', () => {
  assert.deepEqual(differences({ a: { b: [1, 2] }, c: 'x' }, { a: { b: [1, 3] }, c: 'x', d: true }), [
    'a.b[1]: 2 -> 3',
    'd: (absent) -> true',
  ]);
  assert.deepEqual(differences({ a: '1' }, { a: 1 }), ['a: "1" -> 1']);
});

// Growbin writes the environment's patches inline in kustomization.yaml (the
// folder then holds only whole objects): an object an inline patch targets may
// change, and is checked as patched; an inline strategic-merge patch without a
// target selects the object it names.
const INLINE_PATCHES = `${GOOD_KUSTOMIZATION}patches:
  - patch: |-
      # the user's comment stays in the text
      - op: add
        path: /spec/template/spec/priorityClassName
        value: growbin-batch
    target:
      group: apps
      kind: Deployment
      name: growbin-backend-api-rest-waste
      version: v1
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: growbin-backend-api-async-vision
      spec:
        template:
          spec:
            tolerations:
              - key: spot
                operator: Exists
                effect: NoSchedule
`;

test('inline patches: the objects they target are checked as patched, the others unchanged', () => {
  withCopy(INLINE_PATCHES, {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-rest-waste \S+api\.yaml \(patched by patches\[0\]\)$/m);
    assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-async-vision \S+worker\.yaml \(patched by patches\[1\]\)$/m);
    assert.match(r.stdout, /^OK Service\/growbin-backend-api-rest-waste \S+api\.yaml$/m);
  });
  // the same patch aimed at another object: the changed Deployment is no longer explained by a patch
  withCopy(INLINE_PATCHES.replace('      name: growbin-backend-api-rest-waste\n', '      name: growbin-backend-api-rest-waste\n      namespace: elsewhere\n'), {}, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr); // kustomize patches nothing then, and the object is unchanged
    assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-rest-waste \S+api\.yaml$/m);
  });
});
