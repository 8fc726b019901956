// `prom-test` runs the real `promtool test rules`: passing tests pass, a test
// that expects an alert which does not fire fails, and so do untested alerts,
// tests of alerts that do not exist and environments without tests. By default
// the tests are the generated ones beside the output folder (k8s-out-tests/);
// --partial runs hand-written ones as a second check. The last tests show that
// both the generated tests (k8s-out-tests/<env>.test.yaml) and the
// hand-written ones (rule-tests/<env>.test.yaml) break when a threshold or a
// `for:` of the generated rules changes.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { failedCases, testCoverage } from '../src/commands/prom-test.mjs';
import { FIXTURES, HERE, cli } from './helpers.mjs';

const TESTS = path.join(FIXTURES, 'prom-test');
const GOOD = path.join(FIXTURES, 'good');
const REPO = path.resolve(HERE, '..', '..', '..');

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), prefix));
}

test('rule tests that hold pass, one OK line per alert', () => {
  const r = cli('prom-test', '--tests', path.join(TESTS, 'pass'), GOOD);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [3, 0]);
  assert.match(r.stdout, /^OK RuleTests\/good .*pass\/good\.test\.yaml \(promtool test rules: 2 test groups/m);
  assert.match(r.stdout, /^OK Alert\/HttpErrorRateHigh .*monitoring\.yaml \(good: fires in 1, quiet in 1 case\(s\)\)$/m);
  assert.match(r.stdout, /^OK Alert\/HttpLatencyHigh /m);
});

test('a rule test expecting an alert that does not fire fails', () => {
  const r = cli('prom-test', '--tests', path.join(TESTS, 'never-fires'), GOOD);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [2, 1]);
  assert.match(r.stdout, /^FAIL RuleTests\/good .*never-fires\/good\.test\.yaml: 1 case\(s\) failed: HttpErrorRateHigh at 15m in "expects an alert that does not fire"/m);
  assert.match(r.stderr, /got:\[\]/, 'promtool\'s report goes to stderr');
});

test('an alert without a firing case, or without a quiet case, fails', () => {
  const dir = tempDir('mc-prom-test-');
  try {
    const tests = YAML.parse(fs.readFileSync(path.join(TESTS, 'pass', 'good.test.yaml'), 'utf8'));
    tests.tests[0].alert_rule_test = tests.tests[0].alert_rule_test.filter((c) => c.alertname !== 'HttpLatencyHigh');
    tests.tests[1].alert_rule_test = tests.tests[1].alert_rule_test.filter((c) => c.alertname !== 'HttpErrorRateHigh');
    fs.writeFileSync(path.join(dir, 'good.test.yaml'), YAML.stringify(tests));
    const r = cli('prom-test', '--tests', dir, GOOD);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(r.summary, [1, 2]);
    assert.match(r.stdout, /^FAIL Alert\/HttpErrorRateHigh .*: no test case in .* where it stays quiet/m);
    assert.match(r.stdout, /^FAIL Alert\/HttpLatencyHigh .*: no test case in .* where it fires/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('a test of an alert that no rule defines fails (renamed alerts leave no vacuous tests)', () => {
  const dir = tempDir('mc-prom-test-');
  try {
    const tests = YAML.parse(fs.readFileSync(path.join(TESTS, 'pass', 'good.test.yaml'), 'utf8'));
    tests.tests[1].alert_rule_test.push({ alertname: 'HttpErrorsHigh', eval_time: '15m', exp_alerts: [] });
    fs.writeFileSync(path.join(dir, 'good.test.yaml'), YAML.stringify(tests));
    const r = cli('prom-test', '--tests', dir, GOOD);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL Alert\/HttpErrorsHigh .*good\.test\.yaml: tested, but no PrometheusRule in .* defines it/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('an environment with rules but without a test file fails and names the file to write', () => {
  const dir = tempDir('mc-prom-test-');
  try {
    const r = cli('prom-test', '--tests', dir, GOOD);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(r.summary, [0, 1]);
    assert.match(r.stdout, /^FAIL RuleTests\/good .*: no rule tests for environment "good" \(2 alerts in .*\): write .*good\.test\.yaml/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('by default the tests are <output>-tests/<env>.test.yaml beside the output folder', () => {
  const dir = tempDir('mc-prom-test-');
  try {
    const env = path.join(dir, 'out', 'good');
    fs.cpSync(GOOD, env, { recursive: true });
    fs.mkdirSync(path.join(dir, 'out-tests'));
    fs.copyFileSync(path.join(TESTS, 'pass', 'good.test.yaml'), path.join(dir, 'out-tests', 'good.test.yaml'));
    const r = cli('prom-test', env);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK RuleTests\/good .*out-tests\/good\.test\.yaml/m);
    // the old place, inside the output folder, is not read
    fs.renameSync(path.join(dir, 'out-tests'), path.join(dir, 'out', 'rule-tests'));
    const missing = cli('prom-test', env);
    assert.equal(missing.status, 1, missing.stdout + missing.stderr);
    assert.match(missing.stdout, /^FAIL RuleTests\/good .*no rule tests for environment "good"/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('--partial: no test file and untested alerts are notes; a test of an alert that does not exist still fails', () => {
  const dir = tempDir('mc-prom-test-');
  try {
    const none = cli('prom-test', '--partial', '--tests', dir, GOOD);
    assert.equal(none.status, 0, none.stdout + none.stderr);
    assert.deepEqual(none.summary, [0, 0]);
    assert.match(none.stderr, /no .*good\.test\.yaml for .*; the partial check has nothing to run there/);

    const tests = YAML.parse(fs.readFileSync(path.join(TESTS, 'pass', 'good.test.yaml'), 'utf8'));
    tests.tests[0].alert_rule_test = tests.tests[0].alert_rule_test.filter((c) => c.alertname !== 'HttpLatencyHigh');
    tests.tests[1].alert_rule_test = tests.tests[1].alert_rule_test.filter((c) => c.alertname !== 'HttpLatencyHigh');
    fs.writeFileSync(path.join(dir, 'good.test.yaml'), YAML.stringify(tests));
    const some = cli('prom-test', '--partial', '--tests', dir, GOOD);
    assert.equal(some.status, 0, some.stdout + some.stderr);
    assert.match(some.stderr, /NOTE Alert\/HttpLatencyHigh .*no test case .* where it fires.*\(partial check\)/);

    tests.tests[1].alert_rule_test.push({ alertname: 'HttpErrorsHigh', eval_time: '15m', exp_alerts: [] });
    fs.writeFileSync(path.join(dir, 'good.test.yaml'), YAML.stringify(tests));
    const stale = cli('prom-test', '--partial', '--tests', dir, GOOD);
    assert.equal(stale.status, 1, stale.stdout + stale.stderr);
    assert.match(stale.stdout, /^FAIL Alert\/HttpErrorsHigh .*tested, but no PrometheusRule/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('rule_files in the test file is replaced; usage errors exit 2', () => {
  const dir = tempDir('mc-prom-test-');
  try {
    const tests = YAML.parse(fs.readFileSync(path.join(TESTS, 'pass', 'good.test.yaml'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'good.test.yaml'), YAML.stringify({ rule_files: ['nowhere.yaml'], ...tests }));
    const r = cli('prom-test', '--tests', dir, GOOD);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /rule_files replaced/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
  assert.equal(cli('prom-test').status, 2);
  assert.equal(cli('prom-test', '--bogus', GOOD).status, 2);
});

test('helpers: coverage counts and failed-case parsing', () => {
  const cover = testCoverage({ tests: [{ alert_rule_test: [
    { alertname: 'A', exp_alerts: [{ exp_labels: {} }] }, { alertname: 'A' }, { alertname: 'B', exp_alerts: [] },
  ] }] });
  assert.deepEqual(Object.fromEntries(cover), { A: { fires: 1, quiet: 1 }, B: { fires: 0, quiet: 1 } });
  const out = '  FAILED:\n    name: g1,\n    alertname: A, time: 6m, \n        exp:[], \n        got:[]\n';
  assert.deepEqual(failedCases(out), ['A at 6m in "g1"']);
});

// ---- the project's own rule tests catch changes of the generated rules ----

const envsWithTests = (testsDir) => (fs.existsSync(path.join(REPO, 'k8s-out')) && fs.existsSync(testsDir)
  ? fs.readdirSync(testsDir).map((f) => /^(.*)\.test\.yaml$/.exec(f)?.[1]).filter(Boolean)
    .filter((env) => fs.existsSync(path.join(REPO, 'k8s-out', env, 'monitoring', 'prometheusrule.yaml')))
  : []);
const HAND_WRITTEN = path.join(REPO, 'tools', 'manifest-check', 'rule-tests');
const GENERATED = path.join(REPO, 'k8s-out-tests');
const SUITES = [
  ...envsWithTests(HAND_WRITTEN).map((env) => ({ env, tests: HAND_WRITTEN, args: ['--partial', '--tests', HAND_WRITTEN] })),
  ...envsWithTests(GENERATED).map((env) => ({ env, tests: GENERATED, args: ['--tests', GENERATED] })),
];

// Each mutation moves one threshold or duration of the generated rules a
// little, in one direction; the env's rule tests must notice every one.
const MUTATIONS = [
  ['error ratio threshold up', (e) => e.replace(/(status=~"5\.\."[\s\S]*?)> 0\.05/g, '$1> 0.07')],
  ['error ratio threshold down', (e) => e.replace(/(status=~"5\.\."[\s\S]*?)> 0\.05/g, '$1> 0.03')],
  ['latency threshold up', (e) => e.replace(/(histogram_quantile[\s\S]*?)> 2$/gm, '$1> 2.5')],
  ['latency threshold down', (e) => e.replace(/(histogram_quantile[\s\S]*?)> 2$/gm, '$1> 1.8')],
  ['for: longer', (e) => e.replace(/^(\s*)for: 5m$/gm, '$1for: 6m')],
  ['for: shorter', (e) => e.replace(/^(\s*)for: 5m$/gm, '$1for: 4m')],
];

// Every queue (the dead-letter queue too) has a threshold of its own
// (api.async.<name>.queueDepthThreshold): each one is moved on its own.
function queueMutations(rules) {
  const out = [];
  for (const m of rules.matchAll(/queue=\\?"(q\.[a-z0-9.-]+)\\?"\}\) > (\d+)/g)) {
    const [text, queue, n] = m;
    for (const [dir, v] of [['up', Number(n) + 1], ['down', Number(n) - 1]]) {
      out.push([`${queue} threshold ${dir}`, (e) => e.replace(text, text.replace(/> \d+$/, `> ${v}`))]);
    }
  }
  assert.ok(out.length >= 2, 'no queue alert found to mutate');
  return out;
}

test('test files of several --tests folders are each run, and together cover the alerts', () => {
  const firing = tempDir('mc-prom-test-');
  const quiet = tempDir('mc-prom-test-');
  try {
    const tests = YAML.parse(fs.readFileSync(path.join(TESTS, 'pass', 'good.test.yaml'), 'utf8'));
    fs.writeFileSync(path.join(firing, 'good.test.yaml'), YAML.stringify({ ...tests, tests: [tests.tests[0]] }));
    fs.writeFileSync(path.join(quiet, 'good.test.yaml'), YAML.stringify({ ...tests, tests: [tests.tests[1]] }));
    const alone = cli('prom-test', '--tests', firing, GOOD);
    assert.equal(alone.status, 1, 'one folder alone leaves each alert without its quiet case');
    const both = cli('prom-test', '--tests', firing, '--tests', quiet, GOOD);
    assert.equal(both.status, 0, both.stdout + both.stderr);
    assert.deepEqual(both.summary, [4, 0]);
    assert.match(both.stdout, /^OK Alert\/HttpErrorRateHigh .*\(good: fires in 1, quiet in 1 case\(s\)\)$/m);
    const missing = cli('prom-test', '--tests', path.join(firing, 'none'), '--tests', quiet, GOOD);
    assert.equal(missing.status, 1, 'a folder without the env\'s file is skipped; the other still lacks firing cases');
  } finally {
    fs.rmSync(firing, { recursive: true });
    fs.rmSync(quiet, { recursive: true });
  }
});

for (const { env, tests, args } of SUITES) {
  test(`${path.relative(REPO, tests)}/${env}.test.yaml passes on k8s-out/${env} and fails on every threshold or for: change`, () => {
    const r = cli('prom-test', '-q', ...args, path.join(REPO, 'k8s-out', env));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const original = fs.readFileSync(path.join(REPO, 'k8s-out', env, 'monitoring', 'prometheusrule.yaml'), 'utf8');
    const root = tempDir('mc-prom-test-');
    try {
      for (const [what, mutate] of [...MUTATIONS, ...queueMutations(original)]) {
        const mutated = mutate(original);
        if (mutated === original) {
          // the generated rules changed shape: update MUTATIONS together with the rule tests
          assert.fail(`mutation "${what}" no longer applies to k8s-out/${env}/monitoring/prometheusrule.yaml`);
        }
        const dir = path.join(root, what.replace(/\W+/g, '-'), env); // folder name = env name
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'prometheusrule.yaml'), mutated);
        const m = cli('prom-test', '-q', ...args, dir);
        assert.equal(m.status, 1, `${what}: the ${env} rule tests still pass\n${m.stdout}`);
        assert.match(m.stdout, new RegExp(`^FAIL RuleTests/${env} .*case\\(s\\) failed`, 'm'), what);
      }
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });
}
