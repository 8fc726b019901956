// `k8s-versions` judges each object with the OpenAPI document of every
// supported Kubernetes release: the good fixtures pass, each kind of
// version-dependent problem fails in exactly the releases it concerns, the
// committed documents match their recorded provenance and checksums, and the
// README, the pinned kubectl and the pinned helm agree with the range.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadRange, rangeProblems, versionRanges } from '../src/commands/k8s-versions.mjs';
import { findKubectl } from '../src/commands/kustomize.mjs';
import { findHelm } from '../src/commands/helm-compare.mjs';
import { SCHEMA_DIR, SUPPORTED_KUBERNETES, minorOf, readSources } from '../src/schema/openapi.mjs';
import { FIXTURES, HERE, cli, find, goodObjects } from './helpers.mjs';

const ROOT = path.resolve(HERE, '..', '..', '..');
const FROM = minorOf(SUPPORTED_KUBERNETES.from);
const TO = minorOf(SUPPORTED_KUBERNETES.to);
const apis = loadRange(SUPPORTED_KUBERNETES.from, SUPPORTED_KUBERNETES.to);

test('the supported range is 1.30 to 1.34, one document per release', () => {
  assert.deepEqual([FROM, TO], [30, 34]);
  assert.deepEqual(apis.map((a) => a.version), ['1.30', '1.31', '1.32', '1.33', '1.34']);
});

test('good fixtures pass in every release; custom resources are skipped with a note', () => {
  const r = cli('k8s-versions', path.join(FIXTURES, 'good'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const builtIn = goodObjects().filter((o) => !o.apiVersion.includes('monitoring.coreos.com'));
  assert.deepEqual(r.summary, [builtIn.length, 0]);
  assert.ok(r.lines.slice(0, -1).every((l) => l.startsWith('OK ') && l.endsWith('(Kubernetes 1.30-1.34)')), r.stdout);
  assert.match(r.stderr, /SKIP ServiceMonitor\/\S+ .*monitoring\.coreos\.com\/v1 is not a Kubernetes API group/);
});

const deployment = () => find(goodObjects(), 'Deployment', 'rest');
const problemsOf = (obj) => rangeProblems(apis, obj);

// [what, object, expected problems (exact)]
const CASES = [
  ['a field added in 1.33 fails in 1.30-1.32 only', () => {
    const o = deployment();
    o.spec.template.spec.containers[0].lifecycle = { stopSignal: 'SIGTERM' };
    return o;
  }, ['[1.30-1.32] spec.template.spec.containers[0].lifecycle.stopSignal: unknown field']],
  ['an unknown field fails everywhere', () => {
    const o = deployment();
    o.spec.replica = 3;
    return o;
  }, ['[1.30-1.34] spec.replica: unknown field']],
  ['a missing required field', () => {
    const o = deployment();
    delete o.spec.selector;
    return o;
  }, ["[1.30-1.34] spec: must have required property 'selector'"]],
  ['a wrong type', () => {
    const o = deployment();
    o.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    return o;
  }, ['[1.30-1.34] spec.template.spec.containers[0].ports[0].containerPort: must be integer']],
  ['a field its release documents as deprecated', () => {
    const o = deployment();
    o.spec.template.spec.serviceAccount = 'waste';
    return o;
  }, ['[1.30-1.34] spec.template.spec.serviceAccount: deprecated field: Use serviceAccountName instead.']],
  ['an apiVersion removed long ago', () => ({ ...deployment(), apiVersion: 'apps/v1beta1' }),
    ['[1.30-1.34] apps/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1']],
  ['a beta apiVersion: deprecated while served beside v1, then removed in 1.32', () => ({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kind: 'FlowSchema',
    metadata: { name: 'growbin' },
    spec: { priorityLevelConfiguration: { name: 'workload-low' } },
  }), [
    '[1.30-1.31] flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is a pre-release version, deprecated once the same release serves flowcontrol.apiserver.k8s.io/v1; use flowcontrol.apiserver.k8s.io/v1',
    '[1.32-1.34] flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1',
  ]],
  ['a GA kind deprecated in 1.33', () => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'growbin' } }),
    ['[1.33-1.34] v1 Endpoints is deprecated since Kubernetes 1.33; use discovery.k8s.io/v1 EndpointSlice']],
  ['an alpha apiVersion, and one served by some releases only', () => ({
    apiVersion: 'resource.k8s.io/v1alpha3', kind: 'DeviceClass', metadata: { name: 'gpu' }, spec: {},
  }), [
    '[1.30] resource.k8s.io/v1alpha3 DeviceClass is not served',
    '[1.31-1.33] resource.k8s.io/v1alpha3 is an alpha API: not served unless a feature gate enables it',
    '[1.34] resource.k8s.io/v1alpha3 DeviceClass is not served (this release serves resource.k8s.io/v1, resource.k8s.io/v1beta1, resource.k8s.io/v1beta2)',
  ]],
];

for (const [what, make, expected] of CASES) {
  test(`fails: ${what}`, () => assert.deepEqual(problemsOf(make()), expected));
}

test('what the API server accepts passes: numeric quantity, numeric int-or-string port, null fields', () => {
  const o = deployment();
  const c = o.spec.template.spec.containers[0];
  c.resources.requests.cpu = 1;
  c.livenessProbe.httpGet.port = 8080;
  o.spec.template.spec.nodeSelector = null;
  assert.deepEqual(problemsOf(o), []);
});

test('the CLI reports a failing object with its releases, and exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-k8sv-'));
  try {
    const o = deployment();
    o.spec.template.spec.containers[0].lifecycle = { stopSignal: 'SIGTERM' };
    fs.writeFileSync(path.join(dir, 'd.yaml'), JSON.stringify(o));
    const r = cli('k8s-versions', dir);
    assert.equal(r.status, 1);
    assert.deepEqual(r.summary, [0, 1]);
    assert.match(r.stdout, /^FAIL Deployment\/growbin-backend-api-rest-waste .*d\.yaml: \[1\.30-1\.32\] .*stopSignal: unknown field$/m);
    const narrow = cli('k8s-versions', '--from', '1.33', '--to', '1.34', dir);
    assert.equal(narrow.status, 0, narrow.stdout);
    assert.match(narrow.stdout, /\(Kubernetes 1\.33-1\.34\)$/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('usage errors exit 2: bad version, reversed range, no path', () => {
  assert.equal(cli('k8s-versions', '--from', '1.x', FIXTURES).status, 2);
  assert.equal(cli('k8s-versions', '--from', '1.34', '--to', '1.30', FIXTURES).status, 2);
  assert.equal(cli('k8s-versions').status, 2);
  assert.equal(cli('k8s-versions', '--to', '1.35', path.join(FIXTURES, 'good')).status, 2); // no document for 1.35
});

test('versionRanges joins consecutive releases', () => {
  assert.equal(versionRanges([30, 31, 32, 34]), '1.30-1.32, 1.34');
  assert.equal(versionRanges([33]), '1.33');
});

test('every document matches sources.json: origin recorded, gzip and content checksums', () => {
  const sources = readSources();
  assert.deepEqual(sources.versions.map((v) => minorOf(v.minor)), Array.from({ length: TO - FROM + 1 }, (_, i) => FROM + i));
  for (const v of sources.versions) {
    assert.equal(v.source.repository, 'https://github.com/kubernetes-client/python');
    assert.match(v.source.commit, /^[0-9a-f]{40}$/);
    assert.match(v.source.gitBlob, /^[0-9a-f]{40}$/);
    assert.match(v.source.tag, new RegExp(`^v${minorOf(v.minor)}\\.\\d+\\.\\d+$`)); // client 30.x.y = Kubernetes 1.30
    assert.match(v.kubernetesRelease, new RegExp(`^v${v.minor.replace('.', '\\.')}\\.\\d+$`));
    const gz = fs.readFileSync(path.join(SCHEMA_DIR, v.file));
    assert.equal(crypto.createHash('sha256').update(gz).digest('hex'), v.gzipSha256, v.file);
  }
});

test('a changed document is refused when loaded (checksum), with exit 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-k8sv-schemas-'));
  try {
    for (const f of fs.readdirSync(SCHEMA_DIR)) fs.copyFileSync(path.join(SCHEMA_DIR, f), path.join(dir, f));
    const zlib = spawnSync(process.execPath, ['-e', `
      const fs = require('fs'), zlib = require('zlib');
      const f = process.argv[1];
      const doc = JSON.parse(zlib.gunzipSync(fs.readFileSync(f)));
      delete doc.definitions['io.k8s.api.core.v1.Lifecycle'].properties.preStop;
      fs.writeFileSync(f, zlib.gzipSync(JSON.stringify(doc)));`, path.join(dir, '1.31.json.gz')]);
    assert.equal(zlib.status, 0, String(zlib.stderr));
    const r = cli('k8s-versions', '--schemas', dir, path.join(FIXTURES, 'good'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /1\.31\.json\.gz: sha256 [0-9a-f]{64} differs from [0-9a-f]{64} in sources\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('the README states the supported range', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /## Supported Kubernetes versions\s+[^\n]*?Kubernetes \*\*(1\.\d+) to (1\.\d+)\*\*/.exec(readme);
  assert.ok(m, 'README.md needs a "## Supported Kubernetes versions" section naming "Kubernetes **1.N to 1.M**"');
  assert.deepEqual([m[1], m[2]], [SUPPORTED_KUBERNETES.from, SUPPORTED_KUBERNETES.to]);
});

test('the pinned kubectl is a release of the supported range', () => {
  const kubectl = findKubectl();
  assert.ok(kubectl, 'kubectl not found: run scripts/install-tools.sh');
  const r = spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const minor = Number(JSON.parse(r.stdout).clientVersion.minor);
  assert.ok(minor >= FROM && minor <= TO, `kubectl 1.${minor} is outside ${SUPPORTED_KUBERNETES.from}-${SUPPORTED_KUBERNETES.to}`);
});

// Helm's version skew policy (helm.sh/docs/topics/version_skew): the Kubernetes
// minor each Helm minor is built against (it supports that one and the three before).
const HELM_BUILT_AGAINST = { '3.17': 32, '3.18': 33, '3.19': 34, '4.0': 34, '4.1': 35 };

test('the pinned helm is built against a release of the supported range', () => {
  const helm = findHelm();
  assert.ok(helm, 'helm not found: run scripts/install-tools.sh');
  const version = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout.trim();
  const m = /^v(\d+\.\d+)\./.exec(version);
  assert.ok(m && HELM_BUILT_AGAINST[m[1]], `helm ${version}: add its Kubernetes version to HELM_BUILT_AGAINST`);
  const minor = HELM_BUILT_AGAINST[m[1]];
  assert.ok(minor >= FROM && minor <= TO, `helm ${version} is built against Kubernetes 1.${minor}, outside the supported range`);
});
