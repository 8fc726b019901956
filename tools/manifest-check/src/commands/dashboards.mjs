// `manifest-check dashboards PATH...`: the Grafana dashboards of the
// ConfigMaps labelled grafana_dashboard (what Grafana's dashboard sidecar
// loads). Each data key ending in .json must be:
//   1. JSON Grafana's published schema accepts: the dashboard is type-checked
//      by the TypeScript compiler against @grafana/schema's Dashboard, and the
//      options and custom field config of every time series panel against the
//      timeseries panel's Options and FieldConfig (types Grafana generates
//      from its CUE schema). Object literals get TypeScript's excess-property
//      check, so an unknown key fails as well as a wrong type or a missing one;
//      enum types are read as the strings they stand for, as in JSON;
//   2. a dashboard whose panels have distinct ids, fit the 24-column grid, and
//      query a data source through a dashboard variable that exists;
//   3. PromQL that promtool accepts: every target's expr becomes a recording
//      rule of a temporary rule file, checked with `promtool check rules`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { isObject, loadManifests, objectId } from '../load.mjs';
import { Report } from '../report.mjs';
import { findPromtool } from './prom-rules.mjs';

export const HELP = `manifest-check dashboards [options] PATH...
  Checks the Grafana dashboards in ConfigMaps labelled grafana_dashboard: the
  JSON against @grafana/schema (Dashboard, and the timeseries panel's Options
  and FieldConfig) with the TypeScript compiler, panel ids and grid positions,
  and every target's PromQL with \`promtool check rules\`.
  -q, --quiet         print only FAIL lines and the summary`;

const HERE = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
export const SIDECAR_LABEL = 'grafana_dashboard';
const GRID_COLUMNS = 24;
const TIMESERIES_TYPES = '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

export function parseArgs(args) {
  const opts = { quiet: false, paths: [] };
  for (const a of args) {
    if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.paths.push(a);
  }
  if (!opts.paths.length) throw Object.assign(new Error('no PATH given'), { usage: true });
  return opts;
}

/** The dashboards of the loaded manifests: { id, file, key, json | error }. */
export function dashboardsOf(entries) {
  const found = [];
  for (const e of entries) {
    const obj = e.obj;
    if (e.error || !isObject(obj) || obj.kind !== 'ConfigMap' || !isObject(obj.metadata?.labels) || !(SIDECAR_LABEL in obj.metadata.labels)) continue;
    for (const [key, text] of Object.entries(isObject(obj.data) ? obj.data : {})) {
      if (!key.endsWith('.json')) continue;
      const id = `${objectId(obj)}[${key}]`;
      try {
        found.push({ id, file: e.file, key, json: JSON.parse(text) });
      } catch (err) {
        found.push({ id, file: e.file, key, error: `not JSON: ${err.message}` });
      }
    }
  }
  return found;
}

/** The structural rules Grafana's schema cannot say: distinct ids, the grid, the data source variable. */
export function structureProblems(dashboard) {
  const problems = [];
  const ids = new Set();
  const variables = new Set((dashboard.templating?.list ?? []).map((v) => v?.name));
  if (typeof dashboard.uid === 'string' && dashboard.uid.length > 40) problems.push(`uid "${dashboard.uid}" is longer than Grafana's 40 characters`);
  for (const panel of Array.isArray(dashboard.panels) ? dashboard.panels : []) {
    const name = `panel ${panel?.id} "${panel?.title}"`;
    if (ids.has(panel?.id)) problems.push(`${name}: id ${panel.id} is used twice`);
    ids.add(panel?.id);
    const g = panel?.gridPos;
    if (!isObject(g) || g.x < 0 || g.w < 1 || g.x + g.w > GRID_COLUMNS || g.h < 1 || g.y < 0) {
      problems.push(`${name}: gridPos ${JSON.stringify(g)} is not inside the ${GRID_COLUMNS}-column grid`);
    }
    if (panel?.type === 'row') continue;
    const targets = Array.isArray(panel?.targets) ? panel.targets : [];
    if (!targets.length) problems.push(`${name}: no query`);
    for (const t of targets) {
      const uid = t?.datasource?.uid ?? panel?.datasource?.uid;
      const variable = /^\$\{?(\w+)\}?$/.exec(uid ?? '')?.[1];
      if (variable && !variables.has(variable)) problems.push(`data source \${${variable}} is no dashboard variable`);
      if (typeof t?.expr !== 'string' || !t.expr.trim()) problems.push(`${name}: target ${t?.refId} has no expr`);
    }
  }
  return problems;
}

/** The TypeScript module that type-checks every dashboard: one constant per dashboard and per panel part. */
export function typeCheckSource(dashboards) {
  const lines = [
    "import type { Dashboard } from '@grafana/schema';",
    `import type { Options as TimeSeriesOptions, FieldConfig as TimeSeriesFieldConfig } from '${TIMESERIES_TYPES}';`,
    '// JSON as the schema allows it: an enum is the string (or number) it stands for',
    'type Json<T> = T extends string ? `${T}` : T extends number ? number : T extends boolean ? boolean : T extends null | undefined ? T',
    '  : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
  ];
  const names = new Map();
  dashboards.forEach((d, i) => {
    const name = `dashboard_${i}`;
    names.set(name, d.id);
    lines.push(`export const ${name}: Json<Dashboard> = ${JSON.stringify(d.json, null, 2)};`);
    for (const panel of Array.isArray(d.json.panels) ? d.json.panels : []) {
      if (panel?.type !== 'timeseries') continue;
      const options = `${name}_panel_${panel.id}_options`;
      names.set(options, `${d.id} panel ${panel.id} "${panel.title}" options`);
      lines.push(`export const ${options}: Json<TimeSeriesOptions> = ${JSON.stringify(panel.options ?? {}, null, 2)};`);
      const custom = `${name}_panel_${panel.id}_custom`;
      names.set(custom, `${d.id} panel ${panel.id} "${panel.title}" fieldConfig.defaults.custom`);
      lines.push(`export const ${custom}: Json<TimeSeriesFieldConfig> = ${JSON.stringify(panel.fieldConfig?.defaults?.custom ?? {}, null, 2)};`);
    }
  });
  return { text: `${lines.join('\n')}\n`, names };
}

/** Runs tsc on the module; returns the errors per constant name. */
export function typeCheck(source) {
  fs.mkdirSync(path.join(HERE, '.cache'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(HERE, '.cache', 'dashboards-'));
  try {
    const file = path.join(dir, 'dashboards.ts');
    fs.writeFileSync(file, source.text);
    const tsc = require.resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--pretty', 'false', file], { encoding: 'utf8', cwd: HERE, timeout: 300_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status === 0) return { errors: new Map() };
    const byName = new Map();
    const lines = source.text.split('\n');
    for (const m of output.matchAll(/dashboards\.ts\((\d+),(\d+)\): error (TS\d+: .*)/g)) {
      let owner = 'the type-check module';
      for (let l = Number(m[1]) - 1; l >= 0; l--) {
        const c = /^export const (\w+)/.exec(lines[l]);
        if (c) {
          owner = c[1];
          break;
        }
      }
      if (!byName.has(owner)) byName.set(owner, []);
      byName.get(owner).push(m[3].trim());
    }
    if (!byName.size) byName.set('the type-check module', [output.trim() || `tsc exited with ${r.status ?? r.error?.message}`]);
    return { errors: byName };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A rule file with every target's expr as a recording rule, for promtool. */
export function queryRuleFile(dashboards) {
  const groups = dashboards.filter((d) => d.json).map((d, i) => ({
    name: `dashboard ${i} ${d.id}`,
    rules: (Array.isArray(d.json.panels) ? d.json.panels : []).flatMap((p) => (Array.isArray(p?.targets) ? p.targets : [])
      .filter((t) => typeof t?.expr === 'string')
      .map((t) => ({ record: `growbin_dashboard:panel_${p.id}_${t.refId ?? 'A'}`, expr: t.expr }))),
  }));
  return YAML.stringify({ groups }, { lineWidth: 0 });
}

export async function runDashboards(args, io = {}) {
  const opts = parseArgs(args);
  const promtool = findPromtool();
  if (!promtool) {
    (io.err || process.stderr).write('manifest-check dashboards: promtool not found; run scripts/install-tools.sh (or set PROMTOOL)\n');
    return 2;
  }
  const report = new Report({ quiet: opts.quiet, ...io });
  const { entries, missing } = loadManifests(opts.paths);
  for (const m of missing) report.fail('?/?', m, 'no such file or directory');
  const dashboards = dashboardsOf(entries);
  const readable = dashboards.filter((d) => d.json && isObject(d.json));
  const types = readable.length ? typeCheck(typeCheckSource(readable)) : { errors: new Map() };
  const queries = new Map();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-'));
  try {
    if (readable.length) {
      const file = path.join(tmp, 'queries.yaml');
      fs.writeFileSync(file, queryRuleFile(readable));
      const r = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
      const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.split(file).join('queries');
      if (r.status !== 0) {
        for (const m of output.matchAll(/group "dashboard (\d+) [^"]*", rule \d+, "([^"]+)": (.*)/g)) {
          const d = readable[Number(m[1])];
          if (!queries.has(d.id)) queries.set(d.id, []);
          queries.get(d.id).push(`${m[2].replace('growbin_dashboard:', '')}: ${m[3].trim()}`);
        }
        if (!queries.size) readable.forEach((d) => queries.set(d.id, [`promtool check rules: ${output.trim()}`]));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  readable.forEach((d, i) => {
    const reasons = [];
    for (const [name, errors] of types.errors) {
      if (name === `dashboard_${i}` || name.startsWith(`dashboard_${i}_`)) {
        reasons.push(...errors.map((e) => `schema (${name.replace(`dashboard_${i}`, 'dashboard').replace(/_/g, ' ')}): ${e}`));
      }
    }
    if (types.errors.has('the type-check module')) reasons.push(...types.errors.get('the type-check module'));
    reasons.push(...structureProblems(d.json));
    reasons.push(...(queries.get(d.id) ?? []).map((q) => `PromQL of ${q}`));
    const distinct = [...new Set(reasons)];
    const panels = Array.isArray(d.json.panels) ? d.json.panels.length : 0;
    const targets = (d.json.panels ?? []).reduce((n, p) => n + (Array.isArray(p?.targets) ? p.targets.length : 0), 0);
    if (distinct.length) report.fail(d.id, d.file, distinct);
    else report.ok(d.id, d.file, `${panels} panels, ${targets} queries: @grafana/schema and promtool accept them`);
  });
  for (const d of dashboards.filter((x) => !readable.includes(x))) report.fail(d.id, d.file, d.error ?? 'the dashboard is not a JSON object');
  if (!dashboards.length) report.note(`dashboards: no ConfigMap labelled ${SIDECAR_LABEL} under ${opts.paths.join(' ')}`);
  return report.finish();
}
