// `manifest-check helm-compare CHART ENV_DIR...`: the Helm chart export
// (k8s-out/helm/<app>/) against the plain manifests (k8s-out/<env>/).
// `helm lint` must pass for the chart alone and with each values-<env>.yaml,
// and `helm template <app> CHART -f CHART/values-<env>.yaml` must produce the
// same objects as ENV_DIR: compared object by object (keyed by apiVersion,
// kind, namespace and name), field by field after parsing, so formatting and
// key order do not matter but every value, type and list order does. An
// environment's own patches/ and resources/ are kustomize's alone: the chart
// renders the generated objects, unpatched; they are named in a NOTE.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isObject, loadManifests, objectId, parseDocuments } from '../load.mjs';
import { Report } from '../report.mjs';

export const HELP = `manifest-check helm-compare [options] CHART ENV_DIR...
  helm lint CHART (alone and with CHART/values-<env>.yaml), then compares
  \`helm template <release> CHART -f CHART/values-<env>.yaml\` with the objects
  of each ENV_DIR (a k8s-out/<env>/ folder; <env> is its name), object by
  object: missing, extra and differing objects fail, naming the fields.
  helm: --helm, else $HELM, else the project's cache (tools/manifest-check/
  .cache/helm, .ci/cache/helm; scripts/install-tools.sh installs the pinned
  one), else PATH.
  --helm PATH         the helm binary
  --release NAME      release name (default: the chart's name)
  -q, --quiet         print only FAIL lines and the summary`;

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CACHED_HELM = [
  'tools/manifest-check/.cache/helm',
  'tools/manifest-check/.cache/helm/helm',
  '.ci/cache/helm',
  '.ci/cache/helm/helm',
  '.ci/cache/bin/helm',
];

export function parseArgs(args) {
  const opts = { helm: null, release: null, quiet: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name) => {
      if (i + 1 >= args.length) throw Object.assign(new Error(`${name} needs a value`), { usage: true });
      return args[++i];
    };
    if (a === '--helm') opts.helm = value('--helm');
    else if (a.startsWith('--helm=')) opts.helm = a.slice('--helm='.length);
    else if (a === '--release') opts.release = value('--release');
    else if (a.startsWith('--release=')) opts.release = a.slice('--release='.length);
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.paths.push(a);
  }
  if (opts.paths.length < 2) throw Object.assign(new Error('give a CHART and at least one ENV_DIR'), { usage: true });
  return opts;
}

const isExecutableFile = (p) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The helm binary: the option, $HELM, the project's cache, PATH; null when there is none. */
export function findHelm(option, env = process.env, root = ROOT) {
  if (option) return option;
  if (env.HELM) return env.HELM;
  for (const candidate of CACHED_HELM) {
    const p = path.join(root, candidate);
    if (isExecutableFile(p)) return p;
  }
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, 'helm');
    if (dir && isExecutableFile(p)) return p;
  }
  return null;
}

const rel = (p) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
};

const keyOf = (obj) => {
  const md = isObject(obj.metadata) ? obj.metadata : {};
  return `${obj.apiVersion ?? '?'} ${obj.kind ?? '?'} ${md.namespace ?? ''}/${md.name ?? '?'}`;
};

const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v));

/** Paths where a and b differ: [{ path, expected, actual }]. */
export function differences(expected, actual, at = '', out = []) {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) differences(expected[i], actual[i], `${at}[${i}]`, out);
  } else if (isObject(expected) && isObject(actual)) {
    for (const k of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      differences(expected[k], actual[k], at ? `${at}.${k}` : k, out);
    }
  } else if (!(expected === actual || (Number.isNaN(expected) && Number.isNaN(actual)))) {
    out.push({ path: at || '(object)', expected, actual });
  }
  return out;
}

function run(helm, args) {
  const r = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { ok: false, output: `cannot run ${helm}: ${r.error.message}` };
  return { ok: r.status === 0, stdout: r.stdout, output: `${r.stdout}${r.stderr}`.trim() };
}

function chartName(chart) {
  const text = fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8');
  const doc = parseDocuments(text)[0];
  return doc && isObject(doc.value) && typeof doc.value.name === 'string' ? doc.value.name : path.basename(chart);
}

/** Compare the objects of one environment folder with helm's; reports one line per object. */
export function compareObjects(expectedEntries, helmText, report, label) {
  const expected = new Map();
  const actual = new Map();
  for (const e of expectedEntries) {
    if (e.error) {
      report.fail('?/?', `${rel(e.file)}:${e.line}`, e.error);
      continue;
    }
    if (expected.has(keyOf(e.obj))) report.fail(objectId(e.obj), rel(e.file), 'the same object twice in the folder');
    expected.set(keyOf(e.obj), e);
  }
  for (const d of parseDocuments(helmText)) {
    if (d.error) {
      report.fail('?/?', `${label}:${d.line}`, `helm template output: ${d.error}`);
      continue;
    }
    if (!isObject(d.value)) continue;
    if (actual.has(keyOf(d.value))) report.fail(objectId(d.value), label, 'helm template renders this object twice');
    actual.set(keyOf(d.value), d.value);
  }
  for (const [key, e] of expected) {
    const id = objectId(e.obj);
    if (!actual.has(key)) {
      report.fail(id, rel(e.file), `missing from ${label}`);
      continue;
    }
    const diffs = differences(e.obj, actual.get(key));
    if (diffs.length) {
      const shown = diffs.slice(0, 8).map((d) => `${d.path}: manifest ${show(d.expected)}, helm ${show(d.actual)}`);
      if (diffs.length > 8) shown.push(`and ${diffs.length - 8} more`);
      report.fail(id, rel(e.file), shown);
    } else {
      report.ok(id, rel(e.file), `= ${label}`);
    }
  }
  for (const [key, obj] of actual) {
    if (!expected.has(key)) report.fail(objectId(obj), label, 'rendered by helm but not in the manifests folder');
  }
}

/** The environment's own folders: carried for kustomize, not part of the chart. */
export const KUSTOMIZE_ONLY = ['patches', 'resources'];

/**
 * The generated objects of an environment folder, and the files of its own
 * patches/ and resources/ (relative paths), which the chart does not hold.
 */
export function splitOwnFiles(dir, entries, skipped = []) {
  const own = (file) => KUSTOMIZE_ONLY.includes(path.relative(path.resolve(dir), path.resolve(file)).split(path.sep)[0]);
  const ownFiles = new Set();
  for (const e of entries) if (own(e.file)) ownFiles.add(path.relative(dir, e.file));
  for (const s of skipped) if (s.patch || own(s.file)) ownFiles.add(path.relative(dir, s.file));
  return { generated: entries.filter((e) => !own(e.file)), ownFiles: [...ownFiles].sort() };
}

export async function runHelmCompare(args) {
  const opts = parseArgs(args);
  const [chart, ...envDirs] = opts.paths;
  const report = new Report({ quiet: opts.quiet });
  if (!fs.existsSync(path.join(chart, 'Chart.yaml'))) {
    throw Object.assign(new Error(`${chart} is no Helm chart (no Chart.yaml)`), { usage: true });
  }
  const helm = findHelm(opts.helm);
  if (!helm) {
    console.error(
      'manifest-check helm-compare: no helm found. Set HELM=/path/to/helm, or run scripts/install-tools.sh, ' +
        `which installs the pinned helm into the project's cache (looked in: ${CACHED_HELM.join(', ')}; then PATH).`,
    );
    return 2;
  }
  const version = run(helm, ['version', '--short']);
  if (!version.ok) {
    console.error(`manifest-check helm-compare: ${helm} does not run: ${version.output}`);
    return 2;
  }
  report.note(`helm: ${helm} (${version.output.split('\n')[0]})`);
  const release = opts.release || chartName(chart);

  const lint = (valuesArgs, label) => {
    const r = run(helm, ['lint', chart, ...valuesArgs]);
    if (r.ok) report.ok('helm-lint', rel(chart), label);
    else report.fail('helm-lint', rel(chart), `${label}: ${r.output.split('\n').filter((l) => /ERROR|WARNING|Error/.test(l)).join(' | ') || r.output}`);
  };
  lint([], 'values.yaml');

  for (const dir of envDirs) {
    const env = path.basename(path.resolve(dir));
    const valuesFile = path.join(chart, `values-${env}.yaml`);
    if (!fs.existsSync(valuesFile)) {
      report.fail('helm-template', rel(chart), `no values-${env}.yaml for ${rel(dir)}`);
      continue;
    }
    lint(['-f', valuesFile], `values-${env}.yaml`);
    const rendered = run(helm, ['template', release, chart, '-f', valuesFile]);
    const label = `helm template ${release} -f values-${env}.yaml`;
    if (!rendered.ok) {
      report.fail('helm-template', rel(chart), `${label} failed: ${rendered.output}`);
      continue;
    }
    const { entries, skipped, missing } = loadManifests([dir]);
    if (missing.length) {
      report.fail('helm-template', rel(dir), 'folder does not exist');
      continue;
    }
    const { generated, ownFiles } = splitOwnFiles(dir, entries, skipped);
    if (ownFiles.length) {
      report.note(`${rel(dir)}: not in the chart, kustomize only (kubectl apply -k applies them, helm does not): ${ownFiles.join(', ')}`);
    }
    compareObjects(generated, rendered.stdout, report, label);
  }
  return report.finish();
}
