// `manifest-check prom-rules PATH...`: `promtool check rules` on the
// spec.groups of every PrometheusRule (PromQL syntax, durations, label and
// annotation templates, duplicate groups).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { isObject, loadManifests, objectId } from '../load.mjs';
import { Report } from '../report.mjs';

export const HELP = `manifest-check prom-rules [options] PATH...
  Runs \`promtool check rules\` on the spec.groups of every PrometheusRule.
  promtool: $PROMTOOL, else tools/manifest-check/.cache/promtool, else PATH
  (scripts/install-tools.sh installs it).
  --lint-fatal        promtool lint findings (duplicate rules) fail
  -q, --quiet         print only FAIL/WARN lines and the summary`;

const LOCAL_PROMTOOL = fileURLToPath(new URL('../../.cache/promtool', import.meta.url));

// Rule-group fields a PrometheusRule may carry that an older promtool's
// rule-file parser rejects: [field, first Prometheus version knowing it].
const NEWER_GROUP_FIELDS = [
  ['partial_response_strategy', null], // Thanos only; never in Prometheus
  ['query_offset', [2, 53]],
  ['labels', [3, 0]],
];

export function findPromtool(env = process.env) {
  if (env.PROMTOOL) return env.PROMTOOL;
  if (fs.existsSync(LOCAL_PROMTOOL)) return LOCAL_PROMTOOL;
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, 'promtool');
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

export function promtoolVersion(promtool) {
  const r = spawnSync(promtool, ['--version'], { encoding: 'utf8' });
  const m = /version (\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

const olderThan = (v, [major, minor]) => !v || v[0] < major || (v[0] === major && v[1] < minor);

/** The rule file promtool should see for one PrometheusRule, and notes about fields removed. */
export function ruleFileFor(obj, version) {
  const notes = [];
  const groups = structuredClone(isObject(obj.spec) ? obj.spec.groups ?? [] : []);
  for (const g of Array.isArray(groups) ? groups : []) {
    if (!isObject(g)) continue;
    for (const [field, since] of NEWER_GROUP_FIELDS) {
      if (field in g && (!since || olderThan(version, since))) {
        delete g[field];
        notes.push(`group "${g.name}": ${field} removed before checking (${since ? `needs Prometheus >= ${since.join('.')}` : 'Thanos only'})`);
      }
    }
  }
  return { text: YAML.stringify({ groups }, { lineWidth: 0 }), notes };
}

export function parseArgs(args) {
  const opts = { lintFatal: false, quiet: false, paths: [] };
  for (const a of args) {
    if (a === '--lint-fatal') opts.lintFatal = true;
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.paths.push(a);
  }
  if (!opts.paths.length) throw Object.assign(new Error('no PATH given'), { usage: true });
  return opts;
}

export async function runPromRules(args, io = {}) {
  const opts = parseArgs(args);
  const promtool = findPromtool();
  if (!promtool) {
    (io.err || process.stderr).write('manifest-check prom-rules: promtool not found; run scripts/install-tools.sh (or set PROMTOOL)\n');
    return 2;
  }
  const version = promtoolVersion(promtool);
  const report = new Report({ quiet: opts.quiet, ...io });
  const { entries, missing } = loadManifests(opts.paths);
  for (const m of missing) report.fail('?/?', m, 'no such file or directory');
  const rules = entries.filter((e) => !e.error && isObject(e.obj) && e.obj.kind === 'PrometheusRule' && String(e.obj.apiVersion).startsWith('monitoring.coreos.com/'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prom-rules-'));
  try {
    rules.forEach((e, i) => {
      const id = objectId(e.obj);
      const { text, notes } = ruleFileFor(e.obj, version);
      for (const n of notes) report.note(`NOTE ${id} ${e.file}: ${n}`);
      const file = path.join(tmp, `rules-${i + 1}.yaml`);
      fs.writeFileSync(file, text);
      const r = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
      const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
      const lint = /^lint error/m.test(output);
      if (r.status === 0 && !(lint && opts.lintFatal)) {
        if (lint) report.note(`WARN ${id} ${e.file}: ${oneLine(output.slice(output.search(/^lint error/m)), file)}`);
        report.ok(id, e.file, /SUCCESS: (.*)/.exec(output)?.[1]);
      } else {
        report.fail(id, e.file, oneLine(output, file) || `promtool exited with ${r.status ?? r.error?.message}`);
      }
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!rules.length) report.note(`prom-rules: no PrometheusRule found under ${opts.paths.join(' ')}`);
  return report.finish();
}

// promtool's report without its framing lines and the temporary file name
function oneLine(output, file) {
  return output
    .split('\n')
    .map((l) => l.split(`${file}: `).join('').split(file).join('rules').trim())
    .filter((l) => l && !/^Checking /.test(l) && l !== 'FAILED:')
    .join('; ');
}
