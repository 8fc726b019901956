// `practices` passes the good fixtures, and every check can fail: for each
// check id there is a mutation of the good objects that it must report.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkObjects, SKIP_ANNOTATION_PREFIX } from '../src/commands/practices.mjs';
import { CHECKS } from '../src/practices/checks.mjs';
import { FIXTURES, cli, find, goodObjects, writeTemp } from './helpers.mjs';

const problemsOf = (objects) =>
  checkObjects(objects.map((obj) => ({ obj, file: 'x.yaml' }))).flatMap((r) => r.problems.map(([id, msg]) => ({ id, msg, obj: r.entry.obj })));

const rest = (objs) => find(objs, 'Deployment', 'rest');
const worker = (objs) => find(objs, 'Deployment', 'async');
const restContainer = (objs) => rest(objs).spec.template.spec.containers[0];

// check id -> mutation of the good objects that this check must report
const BREAKERS = {
  'resource-requests': (o) => { delete restContainer(o).resources.requests; },
  'resource-limits': (o) => { delete restContainer(o).resources.limits.memory; },
  'liveness-probe': (o) => { delete restContainer(o).livenessProbe; },
  'readiness-probe': (o) => { delete restContainer(o).readinessProbe; },
  'image-tag': (o) => { restContainer(o).image = 'registry.example.com/growbin/backend:latest'; },
  'image-pull-policy': (o) => { restContainer(o).imagePullPolicy = 'Never'; },
  'run-as-non-root': (o) => { rest(o).spec.template.spec.securityContext.runAsUser = 0; },
  'no-privilege-escalation': (o) => { delete restContainer(o).securityContext.allowPrivilegeEscalation; },
  'read-only-root-fs': (o) => { restContainer(o).securityContext.readOnlyRootFilesystem = false; },
  'drop-all-capabilities': (o) => { restContainer(o).securityContext.capabilities.drop = ['NET_RAW']; },
  'seccomp-runtime-default': (o) => { rest(o).spec.template.spec.securityContext.seccompProfile.type = 'Unconfined'; },
  'not-privileged': (o) => { rest(o).spec.template.spec.hostNetwork = true; },
  'no-service-account-token': (o) => { delete rest(o).spec.template.spec.automountServiceAccountToken; },
  'no-literal-credentials': (o) => { restContainer(o).env.push({ name: 'CELERY_BROKER_URL', value: 'amqp://guest:guest@rabbitmq:5672//' }); },
  pdb: (o) => { o.splice(o.indexOf(find(o, 'PodDisruptionBudget')), 1); },
  'topology-spread': (o) => { delete rest(o).spec.template.spec.topologySpreadConstraints; },
  'no-replicas-with-autoscaler': (o) => { rest(o).spec.replicas = 3; },
  'recommended-labels': (o) => { delete find(o, 'Service').metadata.labels['app.kubernetes.io/part-of']; },
  'service-selector': (o) => { find(o, 'Service').spec.ports[0].targetPort = 'web'; },
  'ingress-backend': (o) => { find(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.port = { name: 'grpc' }; },
  'httproute-backend': (o) => {
    o.push({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'growbin-backend-api' },
      spec: { parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [{ name: find(o, 'Service').metadata.name, port: 9999 }] }] },
    });
  },
  'autoscaler-target': (o) => { find(o, 'HorizontalPodAutoscaler').spec.minReplicas = 11; },
  'hpa-requests': (o) => { delete restContainer(o).resources.requests.cpu; },
  'pdb-selects-pods': (o) => { find(o, 'PodDisruptionBudget').spec.selector.matchLabels['app.kubernetes.io/name'] = 'gone'; },
  'servicemonitor-target': (o) => { find(o, 'ServiceMonitor').spec.endpoints[0].port = 'metrics'; },
  'podmonitor-target': (o) => { worker(o).spec.template.spec.containers[0].ports[0].name = 'prom'; },
};

test('good fixtures pass every check', () => {
  assert.deepEqual(problemsOf(goodObjects()), []);
  const r = cli('practices', path.join(FIXTURES, 'good'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [10, 0]);
});

test('every check has a fixture mutation that makes it fail', () => {
  assert.deepEqual(CHECKS.map((c) => c.id).filter((id) => !BREAKERS[id]), []);
});

for (const [id, breakIt] of Object.entries(BREAKERS)) {
  test(`check ${id} fails on a broken object`, () => {
    const objects = goodObjects();
    breakIt(objects);
    const problems = problemsOf(objects);
    assert.ok(problems.some((p) => p.id === id), `expected a [${id}] problem, got ${JSON.stringify(problems.map((p) => `${p.id}: ${p.msg}`))}`);
  });
}

test('CLI: FAIL lines name the check, exit 1; --skip ID=REASON turns it off', () => {
  const objects = goodObjects();
  BREAKERS['liveness-probe'](objects);
  const dir = writeTemp(objects);
  try {
    const r = cli('practices', dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAIL Deployment\/growbin-backend-api-rest-waste .*: \[liveness-probe\] container "waste": no livenessProbe$/m);
    assert.deepEqual(r.summary, [9, 1]);
    const skipped = cli('practices', '--skip', 'liveness-probe=exits on its own when unhealthy', dir);
    assert.equal(skipped.status, 0, skipped.stdout);
    assert.match(skipped.stderr, /SKIP check liveness-probe: exits on its own when unhealthy/);
    assert.equal(cli('practices', '--skip', 'liveness-probe', dir).status, 2, 'a skip without a reason is a usage error');
    assert.equal(cli('practices', '--skip', 'no-such-check=x', dir).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('per-object skip annotation with a reason', () => {
  const objects = goodObjects();
  BREAKERS['no-service-account-token'](objects);
  rest(objects).metadata.annotations = { [`${SKIP_ANNOTATION_PREFIX}no-service-account-token`]: 'talks to the API server' };
  assert.deepEqual(problemsOf(objects), []);
});
