// `image`: the Jib configuration (effective pom) or a built image's config and
// the Deployments agree on user, entrypoint/command, classpath and repository;
// each kind of disagreement fails once.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { imageFromPom, repository } from '../src/commands/image.mjs';
import { parseXml, child, text } from '../src/xml.mjs';
import { FIXTURES, cli, writeTemp } from './helpers.mjs';

const POM = path.join(FIXTURES, 'image', 'effective-pom.xml');
const POM_TEXT = fs.readFileSync(POM, 'utf8');

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'growbin-backend-api-rest-waste' },
  spec: {
    selector: { matchLabels: { app: 'waste' } },
    template: {
      metadata: { labels: { app: 'waste' } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 },
        containers: [{
          name: 'waste',
          image: 'ghcr.io/your-org/growbin-backend:0.1.0',
          command: ['java', '-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError', '-XX:ActiveProcessorCount=1',
            '-cp', '/app/resources:/app/classes:/app/libs/*', 'app.growbin.runtime.Launcher'],
          args: ['rest', 'waste'],
        }],
      },
    },
  },
});

/** Run `image` on one (mutated) Deployment with a (mutated) pom. */
function run(mutate = () => {}, pomText = POM_TEXT) {
  const d = deployment();
  mutate(d, d.spec.template.spec.containers[0]);
  const dir = writeTemp([d]);
  fs.writeFileSync(path.join(dir, 'pom.xml'), pomText);
  try {
    return cli('image', '--pom', path.join(dir, 'pom.xml'), path.join(dir, 'objects.yaml'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the XML reader: elements, entities, comments', () => {
  const root = parseXml(POM_TEXT);
  assert.equal(root.name, 'project');
  assert.equal(text(child(root, 'description')), 'entities & comments <are> read');
  assert.throws(() => parseXml('<a><b></a>'), /closes/);
});

test('the Jib configuration is read from build/plugins, not from profiles', () => {
  const img = imageFromPom(POM_TEXT);
  assert.equal(img.user, '10001:10001');
  assert.deepEqual(img.entrypoint.slice(-3), ['-cp', '/app/resources:/app/classes:/app/libs/*', 'app.growbin.runtime.Launcher']);
  assert.deepEqual(img.platforms, ['linux/amd64', 'linux/arm64']);
  assert.match(img.from, /^eclipse-temurin:21-jre@sha256:[0-9a-f]{64}$/);
  assert.equal(repository(img.to), 'ghcr.io/your-org/growbin-backend');
  assert.equal(repository('registry:5000/a/b@sha256:00'), 'registry:5000/a/b');
  assert.throws(() => imageFromPom('<project><artifactId>x</artifactId></project>'), /no project configures jib-maven-plugin/);
});

test('agreeing image and Deployment pass (a per-workload JVM option is allowed)', () => {
  const r = run();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [2, 0]);
  assert.match(r.stdout, /^OK Image\/ghcr\.io\/your-org\/growbin-backend /m);
  assert.match(r.stdout, /^OK Deployment\/growbin-backend-api-rest-waste .*user 10001:10001, entrypoint = command/m);
});

const deploymentFails = [
  ['another runAsUser', (d) => { d.spec.template.spec.securityContext.runAsUser = 1000; }, /runAsUser 1000, the image's user is 10001:10001/],
  ['a container runAsUser overrides the pod', (d, c) => { c.securityContext = { runAsUser: 2000 }; }, /runAsUser 2000/],
  ['another runAsGroup', (d) => { d.spec.template.spec.securityContext.runAsGroup = 0; }, /runAsGroup 0, the image's group is 10001/],
  ['another main class', (d, c) => { c.command[6] = 'app.growbin.Other'; }, /main class app\.growbin\.Other, the entrypoint's app\.growbin\.runtime\.Launcher/],
  ['another classpath', (d, c) => { c.command[5] = '/app/classes:/app/libs/*'; }, /classpath \/app\/classes:\/app\/libs\/\*, the entrypoint's/],
  ['another java', (d, c) => { c.command[0] = '/usr/bin/java'; }, /command runs \/usr\/bin\/java, the entrypoint java/],
  ['an entrypoint JVM option missing from the command', (d, c) => { c.command.splice(2, 1); }, /JVM options -XX:\+ExitOnOutOfMemoryError are not in the command/],
  ['arguments in the command', (d, c) => { c.command.push('rest'); }, /after the main class; arguments belong in args/],
  ['another image repository', (d, c) => { c.image = 'docker.io/someone/else:1'; }, /image docker\.io\/someone\/else:1, but the image build pushes ghcr\.io\/your-org\/growbin-backend/],
];
for (const [name, mutate, expected] of deploymentFails) {
  test(`Deployment disagrees: ${name}`, () => {
    const r = run(mutate);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(r.summary, [1, 1], r.stdout);
    assert.match(r.stdout, new RegExp(`^FAIL Deployment/growbin-backend-api-rest-waste .*${expected.source}`, 'm'));
  });
}

const pomFails = [
  ['user name instead of UID', ['<user>10001:10001</user>', '<user>app</user>'], /user "app" is not numeric/],
  ['no user', ['<user>10001:10001</user>', ''], /no container user/],
  ['no entrypoint (Jib default: @/app/jib-classpath-file)', [/<entrypoint>[\s\S]*<\/entrypoint>/, ''], /no container entrypoint/],
  ['packaged mode', ['<containerizingMode>exploded', '<containerizingMode>packaged'], /containerizingMode packaged/],
  ['a classpath outside Jib\'s layout', ['/app/resources:/app/classes:/app/libs/*</arg>', '/app/resources:/app/classes:/opt/libs/*</arg>'], /classpath entry \/opt\/libs\/\* is not a folder of Jib's layout/],
  ['a Java 11 base image', ['eclipse-temurin:21-jre', 'eclipse-temurin:11-jre'], /Java 11; the runtime needs 17\+/],
  ['a base image by tag only', [/@sha256:[0-9a-f]{64}/, ''], /base image eclipse-temurin:21-jre is not pinned by digest/],
  ['a base image with a short digest', [/(@sha256:[0-9a-f]{63})[0-9a-f]/, '$1'], /is not pinned by digest/],
  ['no arm64 image', [/<platform>\s*<architecture>arm64[\s\S]*?<\/platform>/, ''], /from\.platforms linux\/amd64 lacks linux\/arm64/],
  ['no platforms (Jib: amd64 only)', [/<platforms>[\s\S]*<\/platforms>/, ''], /from\.platforms \(none: Jib builds linux\/amd64 only\) lacks linux\/amd64, linux\/arm64/],
  ['an unresolved property (a raw pom)', ['growbin-backend:abc123', 'growbin-backend:${growbin.image.tag}'], /is not resolved/],
  ['an argument after the main class in the entrypoint', ['<arg>app.growbin.runtime.Launcher</arg>', '<arg>app.growbin.runtime.Launcher</arg><arg>rest</arg>'], /the entrypoint has rest after the main class/],
];
for (const [name, [from, to], expected] of pomFails) {
  test(`image configuration fails: ${name}`, () => {
    const r = run(() => {}, POM_TEXT.replace(from, to));
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, expected);
  });
}

test('a built image config is compared the same way', () => {
  const d = deployment();
  const dir = writeTemp([d]);
  try {
    const config = { config: { User: '10001:10001', Entrypoint: imageFromPom(POM_TEXT).entrypoint } };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const ok = cli('image', '--image-config', path.join(dir, 'config.json'), path.join(dir, 'objects.yaml'));
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    config.config.User = '0';
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const bad = cli('image', '--image-config', path.join(dir, 'config.json'), path.join(dir, 'objects.yaml'));
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /user is root/);
    assert.match(bad.stdout, /runAsUser 10001, the image's user is 0/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
