// `manifest-check prom-test ENV_DIR...`: `promtool test rules` on the alert
// unit tests. For each k8s-out/<env>/ folder the spec.groups of its
// PrometheusRules (alerts and SLO rules) are written to temporary rule files
// (as prom-rules does), and <env>.test.yaml of each test folder is run against
// them with rule_files pointing at those files. The tests are by default the
// ones the processor writes beside the output folder, in the folder named
// after it with "-tests" (k8s-out-tests/<env>.test.yaml for k8s-out/<env>/):
// a test file is no Kubernetes object, so it is not in the output folder.
// Beside promtool's verdict, every alert of the rules must have a test case
// where it fires and one where it stays quiet in those files, and every alert
// a test names must exist, so new or renamed alerts cannot go untested.
// --partial is for hand-written tests kept as a second check: they may cover
// some alerts and some environments only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { isObject, loadManifests, objectId } from '../load.mjs';
import { Report } from '../report.mjs';
import { findPromtool, promtoolVersion, ruleFileFor } from './prom-rules.mjs';

/** The hand-written tests of the sample's environments, the second check of scripts/test-all.sh. */
export const HAND_WRITTEN_TESTS_DIR = fileURLToPath(new URL('../../rule-tests', import.meta.url));

/** The folder of the tests the processor generates: <output>-tests/ beside the output folder of ENV_DIR (k8s-out/dev → k8s-out-tests/). */
export const generatedTestsDir = (envDir) => `${path.dirname(path.resolve(envDir))}-tests`;

export const HELP = `manifest-check prom-test [options] ENV_DIR...
  Runs \`promtool test rules\` on TESTS/<env>.test.yaml for each ENV_DIR
  (a k8s-out/<env>/ folder; <env> is its name) and each TESTS folder that has
  one, with rule_files set to the spec.groups of the folder's PrometheusRules.
  Also fails when an alert has no test case where it fires (exp_alerts not
  empty) or none where it stays quiet (exp_alerts empty) in those files, when a
  test names an alert that does not exist, and when an ENV_DIR with
  PrometheusRules has no test file.
  --tests DIR         folder of <env>.test.yaml files; may be given more than
                      once (default: <output>-tests/ beside the output folder
                      of ENV_DIR, such as k8s-out-tests/ for k8s-out/dev, the
                      tests the processor writes)
  --partial           hand-written tests kept as a second check: an ENV_DIR
                      without a test file and alerts without cases are noted,
                      not failed (tests of alerts that do not exist still fail)
  -q, --quiet         print only FAIL lines and the summary`;

export function parseArgs(args) {
  const opts = { testsDirs: [], partial: false, quiet: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--tests') {
      if (i + 1 >= args.length) throw Object.assign(new Error('--tests needs a folder'), { usage: true });
      opts.testsDirs.push(args[++i]);
    } else if (a.startsWith('--tests=')) opts.testsDirs.push(a.slice('--tests='.length));
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a === '--partial') opts.partial = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.paths.push(a);
  }
  if (!opts.paths.length) throw Object.assign(new Error('no ENV_DIR given'), { usage: true });
  return opts;
}

const rel = (p) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
};

/** Alert names of a rule file's groups, with the file each came from. */
function alertsOf(groups, file, into) {
  for (const g of Array.isArray(groups) ? groups : []) {
    for (const r of isObject(g) && Array.isArray(g.rules) ? g.rules : []) {
      if (isObject(r) && typeof r.alert === 'string' && !into.has(r.alert)) into.set(r.alert, file);
    }
  }
}

/** Per alert name: how many test cases expect it to fire, and how many expect silence. */
export function testCoverage(tests) {
  const cover = new Map();
  for (const t of Array.isArray(tests?.tests) ? tests.tests : []) {
    for (const c of isObject(t) && Array.isArray(t.alert_rule_test) ? t.alert_rule_test : []) {
      if (!isObject(c) || typeof c.alertname !== 'string') continue;
      const e = cover.get(c.alertname) ?? { fires: 0, quiet: 0 };
      if (Array.isArray(c.exp_alerts) && c.exp_alerts.length) e.fires++;
      else e.quiet++;
      cover.set(c.alertname, e);
    }
  }
  return cover;
}

/** The failing cases of a `promtool test rules` report, one short phrase each. */
export function failedCases(output) {
  const cases = [];
  let group = null;
  for (const line of output.split('\n')) {
    const g = /^\s*name: (.*),\s*$/.exec(line);
    if (g) group = g[1];
    const a = /^\s*alertname: ([^,]+), time: ([^,]+),/.exec(line);
    if (a) cases.push(`${a[1]} at ${a[2]}${group ? ` in "${group}"` : ''}`);
    const e = /^\s*expr: (.*), time: ([^,]+),/.exec(line);
    if (e) cases.push(`expr ${e[1]} at ${e[2]}${group ? ` in "${group}"` : ''}`);
  }
  return cases;
}

export async function runPromTest(args, io = {}) {
  const opts = parseArgs(args);
  const promtool = findPromtool();
  if (!promtool) {
    (io.err || process.stderr).write('manifest-check prom-test: promtool not found; run scripts/install-tools.sh (or set PROMTOOL)\n');
    return 2;
  }
  const version = promtoolVersion(promtool);
  const report = new Report({ quiet: opts.quiet, ...io });
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'prom-test-'));
  try {
    opts.paths.forEach((envDir, n) => {
      const env = path.basename(path.resolve(envDir));
      const testsDirs = opts.testsDirs.length ? opts.testsDirs : [generatedTestsDir(envDir)];
      const suiteId = `RuleTests/${env}`;
      if (!fs.existsSync(envDir) || !fs.statSync(envDir).isDirectory()) {
        report.fail(suiteId, envDir, 'not a directory (give a k8s-out/<env>/ folder)');
        return;
      }
      const tmp = path.join(tmpRoot, String(n + 1));
      fs.mkdirSync(tmp);

      // 1. the rules, as prom-rules extracts them
      const { entries } = loadManifests([envDir]);
      const rules = entries.filter((e) => !e.error && isObject(e.obj) && e.obj.kind === 'PrometheusRule' && String(e.obj.apiVersion).startsWith('monitoring.coreos.com/'));
      const ruleFiles = [];
      const alerts = new Map(); // alert name -> manifest file
      rules.forEach((e, i) => {
        const { text, notes } = ruleFileFor(e.obj, version);
        for (const note of notes) report.note(`NOTE ${objectId(e.obj)} ${e.file}: ${note}`);
        const file = path.join(tmp, `rules-${i + 1}.yaml`);
        fs.writeFileSync(file, text);
        ruleFiles.push(file);
        alertsOf(YAML.parse(text)?.groups, e.file, alerts);
      });

      // 2. the tests: <env>.test.yaml of every test folder that has one
      const testFiles = testsDirs.map((dir) => path.join(dir, `${env}.test.yaml`)).filter((f) => fs.existsSync(f));
      if (!testFiles.length) {
        const testFile = path.join(testsDirs[0], `${env}.test.yaml`);
        if (!rules.length) {
          report.note(`prom-test: no PrometheusRule and no ${rel(testFile)} for ${envDir}; nothing to test`);
        } else if (opts.partial) {
          report.note(`prom-test: no ${rel(testFile)} for ${envDir}; the partial check has nothing to run there`);
        } else {
          report.fail(suiteId, rel(testFile), `no rule tests for environment "${env}" (${alerts.size} alerts in ${envDir}): write ${rel(testFile)}, for example from a copy of another environment's file (docs/manifest-checks.md, prom-test)`);
        }
        return;
      }
      const cover = new Map();
      const names = testFiles.map(rel).join(' and ');
      testFiles.forEach((testFile, k) => {
        let tests;
        try {
          tests = YAML.parse(fs.readFileSync(testFile, 'utf8'));
        } catch (err) {
          report.fail(suiteId, rel(testFile), `not valid YAML: ${err.message.split('\n')[0]}`);
          return;
        }
        if (!isObject(tests) || !Array.isArray(tests.tests)) {
          report.fail(suiteId, rel(testFile), 'expected a promtool test file with a "tests" list');
          return;
        }
        if ('rule_files' in tests) report.note(`NOTE ${suiteId} ${rel(testFile)}: rule_files replaced by the rules extracted from ${envDir}`);
        const final = { ...tests, rule_files: ruleFiles };
        const finalFile = path.join(tmp, `${env}-${k + 1}.test.yaml`);
        fs.writeFileSync(finalFile, YAML.stringify(final, { lineWidth: 0 }));

        // 3. promtool test rules
        const r = spawnSync(promtool, ['test', 'rules', finalFile], { encoding: 'utf8', timeout: 120_000 });
        const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.split(tmp + path.sep).join('');
        if (r.status === 0) {
          report.ok(suiteId, rel(testFile), `promtool test rules: ${tests.tests.length} test groups against ${rules.length} PrometheusRule(s)`);
        } else {
          const cases = failedCases(output);
          const reason = cases.length
            ? `${cases.length} case(s) failed: ${cases.join('; ')} (promtool's report on stderr)`
            : output.split('\n').map((l) => l.trim()).filter((l) => l && !/^Unit Testing:/.test(l) && l !== 'FAILED:').join('; ') || `promtool exited with ${r.status ?? r.error?.message}`;
          report.fail(suiteId, rel(testFile), reason);
          report.note(`--- promtool test rules ${rel(testFile)} (${envDir}):\n${output.trimEnd()}\n---`);
        }
        for (const [alert, c] of testCoverage(tests)) {
          const e = cover.get(alert) ?? { fires: 0, quiet: 0, file: rel(testFile) };
          e.fires += c.fires;
          e.quiet += c.quiet;
          cover.set(alert, e);
        }
      });

      // 4. every alert tested both ways; every tested alert exists
      for (const [alert, file] of [...alerts].sort(([a], [b]) => a.localeCompare(b))) {
        const c = cover.get(alert) ?? { fires: 0, quiet: 0 };
        const reasons = [];
        if (!c.fires) reasons.push(`no test case in ${names} where it fires (exp_alerts with its labels)`);
        if (!c.quiet) reasons.push(`no test case in ${names} where it stays quiet (exp_alerts: [])`);
        if (reasons.length && opts.partial) report.note(`NOTE Alert/${alert} ${file}: ${reasons.join('; ')} (partial check)`);
        else if (reasons.length) report.fail(`Alert/${alert}`, file, reasons);
        else report.ok(`Alert/${alert}`, file, `${env}: fires in ${c.fires}, quiet in ${c.quiet} case(s)`);
      }
      for (const alert of [...cover.keys()].filter((a) => !alerts.has(a)).sort()) {
        report.fail(`Alert/${alert}`, cover.get(alert).file, `tested, but no PrometheusRule in ${envDir} defines it (renamed or removed?)`);
      }
    });
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
  return report.finish();
}
