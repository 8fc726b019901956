// Issue 13's objects and an environment's own files: the schemas of HTTPRoute,
// ExternalSecret and VerticalPodAutoscaler; patch files, which are no objects
// (validate and practices leave them out, kustomization.yaml must name them,
// `kustomize` checks the objects as patched); resources/, which are objects
// like any other; and helm-compare, which leaves both out of the chart.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateObject } from '../src/commands/validate.mjs';
import { kustomizationProblems } from '../src/kustomization.mjs';
import { splitOwnFiles } from '../src/commands/helm-compare.mjs';
import { targets } from '../src/commands/kustomize.mjs';
import { loadManifests } from '../src/load.mjs';
import { FIXTURES, cli, goodObjects } from './helpers.mjs';
import { checkObjects } from '../src/commands/practices.mjs';

const GOOD = path.join(FIXTURES, 'good');

const ROUTE = {
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'growbin-backend-api' },
  spec: {
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
    hostnames: ['api.staging.growbin.app'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api/v1/waste' } }], backendRefs: [{ name: 'growbin-backend-api-rest-waste', port: 8080 }] }],
  },
};
const EXTERNAL_SECRET = {
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'celery-secrets' },
  spec: {
    refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
    target: { name: 'celery-secrets', creationPolicy: 'Owner' },
    data: [{ secretKey: 'broker-url', remoteRef: { key: 'growbin/prod/celery', property: 'broker-url' } }],
  },
};
const VPA = {
  apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'growbin-backend-api-async-vision' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'growbin-backend-api-async-vision' },
    updatePolicy: { updateMode: 'Off' },
    resourcePolicy: { containerPolicies: [{ containerName: 'vision', controlledResources: ['cpu', 'memory'] }] },
  },
};

test('practices: an HTTPRoute to an existing Service port passes, to a missing Service fails', () => {
  const objects = goodObjects();
  const service = objects.find((o) => o.kind === 'Service');
  const route = structuredClone(ROUTE);
  route.spec.rules[0].backendRefs[0] = { name: service.metadata.name, port: service.spec.ports[0].port };
  const problems = (objs) => checkObjects(objs.map((obj) => ({ obj }))).flatMap((r) => r.problems.map(([id, msg]) => `${id}: ${msg}`));
  assert.deepEqual(problems([...objects, route]), []);
  route.spec.rules[0].backendRefs[0].name = 'gone';
  assert.deepEqual(problems([...objects, route]), ['httproute-backend: rules[0].backendRefs[0]: Service "gone" not found']);
});

test('HTTPRoute, ExternalSecret and VerticalPodAutoscaler as Growbin writes them are valid', async () => {
  for (const obj of [ROUTE, EXTERNAL_SECRET, VPA]) assert.deepEqual(await validateObject(obj), [], obj.kind);
});

// [what, object, mutation, expected error (regex)]
const BROKEN = [
  ['HTTPRoute: more than 16 rules', ROUTE, (o) => { o.spec.rules = Array(17).fill(o.spec.rules[0]); }, /spec\.rules: must NOT have more than 16 items/],
  ['HTTPRoute: unknown field', ROUTE, (o) => { o.spec.rules[0].backendRefs[0].prot = 1; }, /backendRefs\[0\]\.prot: unknown field/],
  ['ExternalSecret: store kind', EXTERNAL_SECRET, (o) => { o.spec.secretStoreRef.kind = 'Vault'; }, /secretStoreRef\.kind: must be equal to one of the allowed values/],
  ['ExternalSecret: unknown field', EXTERNAL_SECRET, (o) => { o.spec.data[0].remoteRef.propery = 'x'; }, /remoteRef\.propery: unknown field/],
  ['VPA: unquoted Off read as a boolean', VPA, (o) => { o.spec.updatePolicy.updateMode = false; }, /updatePolicy\.updateMode: must be string/],
  ['VPA: unknown update mode', VPA, (o) => { o.spec.updatePolicy.updateMode = 'Sometimes'; }, /updateMode: must be equal to one of the allowed values/],
  ['VPA: unknown field', VPA, (o) => { o.spec.updatePolicy.mode = 'Off'; }, /spec\.updatePolicy\.mode: unknown field/],
  ['VPA: no target', VPA, (o) => { delete o.spec.targetRef; }, /must have required property 'targetRef'/],
  ['VPA: bad quantity', VPA, (o) => { o.spec.resourcePolicy.containerPolicies[0].minAllowed = { memory: '1 GB' }; }, /minAllowed\.memory: must match pattern/],
  ['VPA: metadata checked as for every kind', VPA, (o) => { o.metadata.nmae = 'x'; }, /metadata\.nmae: unknown field/],
];
for (const [what, original, mutate, expected] of BROKEN) {
  test(`schema: ${what}`, async () => {
    const obj = structuredClone(original);
    mutate(obj);
    const errors = await validateObject(obj);
    assert.ok(errors.some((e) => expected.test(e)), `${what}: ${JSON.stringify(errors)}`);
  });
}

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - api.yaml
  - monitoring.yaml
  - resources/quota.yaml
  - worker.yaml
patches:
  - path: patches/Deployment.growbin-backend-api-rest-waste.yaml
    target:
      group: apps
      version: v1
      kind: Deployment
      name: growbin-backend-api-rest-waste
  - path: patches/vision-tolerations.yaml
`;
const TOLERATIONS = `apiVersion: apps/v1
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
const PRIORITY = `- op: add
  path: /spec/template/spec/priorityClassName
  value: growbin-low
`;
const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: growbin-quota
spec:
  hard:
    requests.cpu: "8"
`;

/** The good fixture with its own patches/ and resources/ (files by relative path); removed afterwards. */
async function withEnvironment(files, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-platform-'));
  try {
    for (const f of fs.readdirSync(GOOD)) fs.copyFileSync(path.join(GOOD, f), path.join(dir, f));
    for (const [name, text] of Object.entries({ 'kustomization.yaml': KUSTOMIZATION, ...files })) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const OWN = {
  'patches/vision-tolerations.yaml': TOLERATIONS,
  'patches/Deployment.growbin-backend-api-rest-waste.yaml': PRIORITY,
  'resources/quota.yaml': QUOTA,
};

test('patch files are no objects: validate leaves them out, checks the resources, and the kustomization must name both', () =>
  withEnvironment(OWN, (dir) => {
    const r = cli('validate', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /SKIP \S+vision-tolerations\.yaml: kustomize patch/);
    assert.match(r.stdout, /^OK ResourceQuota\/growbin-quota /m);
    assert.match(r.stdout, /^OK Kustomization\//m);
    assert.deepEqual(kustomizationProblems(path.join(dir, 'kustomization.yaml')), []);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), KUSTOMIZATION.replace('vision-tolerations.yaml', 'gone.yaml'));
    assert.deepEqual(kustomizationProblems(path.join(dir, 'kustomization.yaml')),
      ['patches: "patches/gone.yaml" does not exist', 'not listed in resources: patches/vision-tolerations.yaml']);
  }));

test('practices reads the resources and not the patches', () =>
  withEnvironment(OWN, (dir) => {
    const r = cli('practices', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /SKIP \S+Deployment\.growbin-backend-api-rest-waste\.yaml: kustomize patch/);
  }));

test('kustomize: the patch targets come out patched and valid, the resources unchanged', () =>
  withEnvironment(OWN, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-async-vision \S+ \(patched by patches\/vision-tolerations\.yaml\)$/m);
    assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-rest-waste \S+ \(patched by patches\/Deployment\.growbin-backend-api-rest-waste\.yaml\)$/m);
    assert.match(r.stdout, /^OK ResourceQuota\/growbin-quota /m);
    assert.match(r.stdout, /^OK Kustomization\/\S+ .*\(11 objects/m);
  }));

test('kustomize: an object a patch breaks fails with the schema or practice it breaks', async () => {
  await withEnvironment({
    ...OWN,
    'patches/Deployment.growbin-backend-api-rest-waste.yaml': `- op: replace
  path: /spec/template/spec/containers/0/ports/0/containerPort
  value: "8080"
`,
  }, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL Deployment\/growbin-backend-api-rest-waste \S+ as patched by patches\/Deployment\.growbin-backend-api-rest-waste\.yaml:/);
    assert.match(r.stdout, /containerPort: must be integer/);
  });
  await withEnvironment({
    ...OWN,
    'patches/vision-tolerations.yaml': TOLERATIONS.replace('      tolerations:', `      containers:
        - name: vision
          securityContext:
            privileged: true
      tolerations:`),
  }, (dir) => {
    const r = cli('kustomize', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL Deployment\/growbin-backend-api-async-vision \S+ as patched by patches\/vision-tolerations\.yaml:/);
    assert.match(r.stdout, /\[not-privileged\]/);
  });
});

test('kustomize patch targets select by group, version, kind and name', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } };
  assert.ok(targets({ group: 'apps', version: 'v1', kind: 'Deployment', name: 'x' }, deployment));
  assert.ok(targets({ kind: 'Deployment', name: 'x' }, deployment));
  assert.ok(!targets({ kind: 'Deployment', name: 'y' }, deployment));
  assert.ok(!targets({ group: '', kind: 'Deployment', name: 'x' }, deployment));
  assert.ok(targets({ version: 'v1', kind: 'ResourceQuota', name: 'q' }, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' } }));
});

test('helm-compare leaves an environment\'s own patches and resources out of the chart comparison', () =>
  withEnvironment(OWN, (dir) => {
    const { entries, skipped } = loadManifests([dir]);
    const { generated, ownFiles } = splitOwnFiles(dir, entries, skipped);
    assert.deepEqual(ownFiles, ['patches/Deployment.growbin-backend-api-rest-waste.yaml', 'patches/vision-tolerations.yaml', 'resources/quota.yaml']);
    assert.equal(generated.length, entries.length - 1);
    assert.ok(generated.every((e) => e.obj.kind !== 'ResourceQuota'));
  }));
