// `validate` accepts the good fixtures and rejects each kind of broken object.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kustomizationProblems } from '../src/kustomization.mjs';
import { validateObject } from '../src/commands/validate.mjs';
import { FIXTURES, cli, find, goodObjects } from './helpers.mjs';

test('good fixtures pass; kustomization.yaml is checked for consistency, not as an object', () => {
  const r = cli('validate', path.join(FIXTURES, 'good'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [11, 0]);
  assert.ok(r.lines.slice(0, -1).every((l) => l.startsWith('OK ')), r.stdout);
  assert.match(r.stdout, /^OK Kustomization\/good .*kustomization\.yaml$/m);
});

test('kustomization.yaml must list exactly the manifest files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-kz-'));
  try {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'good'))) fs.copyFileSync(path.join(FIXTURES, 'good', f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - api.yaml\n  - gone.yaml\n  - monitoring.yaml\n');
    const problems = kustomizationProblems(path.join(dir, 'kustomization.yaml'));
    assert.deepEqual(problems, ['resources: "gone.yaml" does not exist', 'not listed in resources: worker.yaml']);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('YAML-level problems fail: YAML 1.1 boolean, duplicate key, removed API, unknown CRD, syntax error', () => {
  const r = cli('validate', path.join(FIXTURES, 'bad-schema'));
  assert.equal(r.status, 1);
  assert.deepEqual(r.summary, [0, 5]);
  assert.match(r.stdout, /FAIL ConfigMap\/yaml11-boolean .*data\.ENABLED: must be string/);
  assert.match(r.stdout, /FAIL \?\/\? .*unique/);
  assert.match(r.stdout, /FAIL Deployment\/removed-api .*removed in Kubernetes 1\.16/);
  assert.match(r.stdout, /FAIL Widget\/unknown-crd .*no schema for API group "example\.com"/);
});

test('a missing path fails instead of passing vacuously', () => {
  const r = cli('validate', path.join(FIXTURES, 'does-not-exist'));
  assert.equal(r.status, 1);
  assert.deepEqual(r.summary, [0, 1]);
});

// [what, kind, name part, mutation, expected error (regex)]
const BROKEN = [
  ['unknown field (strict)', 'Deployment', 'rest', (o) => { o.spec.replica = 3; }, /spec\.replica: unknown field/],
  ['unknown nested field', 'Deployment', 'rest', (o) => { o.spec.template.spec.containers[0].imagePullPolicey = 'Always'; }, /containers\[0\]\.imagePullPolicey: unknown field/],
  ['unknown CRD field', 'ServiceMonitor', '', (o) => { o.spec.endpoint = []; }, /spec\.endpoint: unknown field/],
  ['wrong type', 'Deployment', 'rest', (o) => { o.spec.template.spec.containers[0].ports[0].containerPort = '8080'; }, /containerPort: must be integer/],
  ['missing required field', 'Deployment', 'rest', (o) => { delete o.spec.selector; }, /must have required property selector/],
  ['bogus apiVersion', 'Deployment', 'rest', (o) => { o.apiVersion = 'apps/v2'; }, /unknown apiVersion\/kind apps\/v2/],
  ['removed apiVersion', 'HorizontalPodAutoscaler', '', (o) => { o.apiVersion = 'autoscaling/v2beta2'; }, /removed in Kubernetes 1\.26/],
  ['name not DNS-1123', 'Deployment', 'rest', (o) => { o.metadata.name = 'Waste_API'; }, /DNS-1123 subdomain/],
  ['Service name not DNS-1035', 'Service', '', (o) => { o.metadata.name = '1-waste'; }, /DNS-1035/],
  ['bad label value', 'Service', '', (o) => { o.metadata.labels['app.kubernetes.io/version'] = 'x'.repeat(64); }, /invalid label value/],
  ['bad label key', 'Service', '', (o) => { o.metadata.labels['a/b/c'] = 'x'; }, /invalid label key/],
  ['selector does not match template', 'Deployment', 'rest', (o) => { o.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'; }, /selector` does not match template/],
  ['port name too long', 'Deployment', 'rest', (o) => { o.spec.template.spec.containers[0].ports[0].name = 'http-port-name-too-long'; }, /IANA_SVC_NAME/],
  ['duplicate container name', 'Deployment', 'rest', (o) => { const c = o.spec.template.spec.containers; c.push({ ...c[0], ports: [] }); }, /duplicate container name/],
  ['unnamed ports on a multi-port Service', 'Service', '', (o) => { o.spec.ports = [{ port: 80 }, { port: 81 }]; }, /required when the Service has more than one port/],
  ['PrometheusRule duration', 'PrometheusRule', '', (o) => { o.spec.groups[0].rules[0].for = '10 minutes'; }, /for: must match pattern/],
];

for (const [what, kind, namePart, mutate, expected] of BROKEN) {
  test(`rejects: ${what}`, async () => {
    const obj = find(goodObjects(), kind, namePart);
    assert.deepEqual(await validateObject(obj), [], `fixture ${kind} must be valid before the mutation`);
    mutate(obj);
    const errors = await validateObject(obj);
    assert.ok(errors.some((e) => expected.test(e)), `expected ${expected} in ${JSON.stringify(errors)}`);
  });
}

test('description / x-kubernetes-* are accepted only where they are real fields', async () => {
  const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, description: 'important' };
  assert.deepEqual(await validateObject(pc), []);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, description: 'not a field' };
  assert.ok((await validateObject(cm)).some((e) => /description: unknown field/.test(e)));
});
