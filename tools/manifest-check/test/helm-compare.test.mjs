// `helm-compare`: `helm lint` and `helm template` of a chart against a
// manifests folder, object by object. A stand-in helm (a shell script that
// prints a prepared rendering) drives the command, so these tests need no
// helm; scripts/test-all.sh runs the real one on k8s-out/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { differences, findHelm } from '../src/commands/helm-compare.mjs';
import { cli } from './helpers.mjs';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-api-rest-shop
  labels:
    app.kubernetes.io/version: "1.0.0"
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: shop
          env:
            - name: A
              value: "1"
            - name: B
              value: "2"
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: shop-api-rest-shop
spec:
  ports:
    - name: http
      port: 8080
`;

function tempDir() {
  return fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'helm-compare-'));
}

/** A chart folder with values-dev.yaml, a dev/ manifests folder, and a fake helm printing `rendered`. */
function setup(rendered, { lintFails = false } = {}) {
  const dir = tempDir();
  const chart = path.join(dir, 'helm', 'shop');
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
  fs.writeFileSync(path.join(chart, 'values.yaml'), '{}\n');
  fs.writeFileSync(path.join(chart, 'values-dev.yaml'), '{}\n');
  const env = path.join(dir, 'dev');
  fs.mkdirSync(path.join(env, 'api'), { recursive: true });
  fs.writeFileSync(path.join(env, 'kustomization.yaml'), 'resources: [api/deployment.yaml, api/service.yaml]\n');
  fs.writeFileSync(path.join(env, 'api', 'deployment.yaml'), `# a comment\n${DEPLOYMENT}`);
  fs.writeFileSync(path.join(env, 'api', 'service.yaml'), SERVICE);
  fs.writeFileSync(path.join(dir, 'rendered.yaml'), rendered);
  const helm = path.join(dir, 'helm.sh');
  fs.writeFileSync(helm, `#!/bin/sh
case "$1" in
  version) echo v3.0.0-fake ;;
  lint) ${lintFails ? 'echo "[ERROR] templates/: parse error"; exit 1' : 'echo "1 chart(s) linted, 0 chart(s) failed"'} ;;
  template) [ "$2" = shop ] || { echo "release $2" >&2; exit 1; }; cat "${path.join(dir, 'rendered.yaml')}" ;;
esac
`, { mode: 0o755 });
  return { chart, env, helm };
}

test('differences names every differing field, list positions and absent ones', () => {
  assert.deepEqual(differences({ a: 1, b: [1, 2], c: { d: 'x' } }, { a: 1, b: [1, 2], c: { d: 'x' } }), []);
  assert.deepEqual(
    differences({ a: 1, b: [1, 2], c: { d: 'x' } }, { a: '1', b: [1], c: { d: 'x', e: true } }).map((d) => d.path),
    ['a', 'b[1]', 'c.e'],
  );
});

test('the same objects pass, whatever the formatting, order and comments', () => {
  const service = 'kind: Service\napiVersion: "v1"\nspec:\n  ports: [{port: 8080, name: http}]\nmetadata: {name: shop-api-rest-shop}\n';
  const rendered = `---\n# Source: shop/templates/service.yaml\n${service}---\n# Source: shop/templates/deployment.yaml\n${DEPLOYMENT}`;
  const { chart, env, helm } = setup(rendered);
  const r = cli('helm-compare', '--helm', helm, chart, env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [4, 0]); // lint alone, lint with values-dev.yaml, two objects
  assert.match(r.stdout, /^OK Deployment\/shop-api-rest-shop .*deployment\.yaml \(= helm template shop -f values-dev\.yaml\)$/m);
});

test('a differing value, a string for a number, a reordered list, a missing and an extra object fail', () => {
  const changed = DEPLOYMENT.replace('replicas: 2', 'replicas: "2"')
    .replace('- name: A\n              value: "1"\n            - name: B\n              value: "2"', '- name: B\n              value: "2"\n            - name: A\n              value: "1"');
  const extra = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n';
  const { chart, env, helm } = setup(`${changed}---\n${extra}`);
  const r = cli('helm-compare', '--helm', helm, chart, env);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^FAIL Deployment\/shop-api-rest-shop .*: spec\.replicas: manifest 2, helm "2"; spec\.template\.spec\.containers\[0\]\.env\[0\]\.name: manifest "A", helm "B"/m);
  assert.match(r.stdout, /^FAIL Service\/shop-api-rest-shop .*service\.yaml: missing from helm template shop -f values-dev\.yaml$/m);
  assert.match(r.stdout, /^FAIL ConfigMap\/extra helm template shop -f values-dev\.yaml: rendered by helm but not in the manifests folder$/m);
});

test('helm lint errors fail; an environment without values-<env>.yaml fails', () => {
  const { chart, env, helm } = setup(`${DEPLOYMENT}---\n${SERVICE}`, { lintFails: true });
  let r = cli('helm-compare', '--helm', helm, chart, env);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^FAIL helm-lint .*: values\.yaml: \[ERROR\] templates\/: parse error$/m);
  const prod = path.join(path.dirname(env), 'prod');
  fs.cpSync(env, prod, { recursive: true });
  r = cli('helm-compare', '--helm', helm, chart, prod);
  assert.match(r.stdout, /^FAIL helm-template .*: no values-prod\.yaml for /m);
});

test('no helm: a clear message and exit 2', () => {
  const { chart, env } = setup('');
  const saved = { HELM: process.env.HELM, PATH: process.env.PATH };
  delete process.env.HELM;
  process.env.PATH = '/nonexistent';
  try {
    const empty = tempDir();
    assert.equal(findHelm(null, { PATH: '/nonexistent' }, empty), null);
    assert.equal(findHelm(null, { HELM: '/x/helm' }, empty), '/x/helm');
    assert.equal(findHelm('/opt/helm', { HELM: '/x/helm' }, empty), '/opt/helm');
    const cached = path.join(empty, 'tools', 'manifest-check', '.cache');
    fs.mkdirSync(cached, { recursive: true });
    fs.writeFileSync(path.join(cached, 'helm'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(findHelm(null, { PATH: '/nonexistent' }, empty), path.join(cached, 'helm'));
    const r = cli('helm-compare', '--helm', path.join(empty, 'missing-helm'), chart, env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /does not run/);
  } finally {
    if (saved.HELM === undefined) delete process.env.HELM;
    else process.env.HELM = saved.HELM;
    process.env.PATH = saved.PATH;
  }
});
