// `manifest-check kustomize DIR...`: `kubectl kustomize DIR` must yield exactly
// the objects of DIR's files, so that `kubectl apply -k DIR` applies what was
// generated and reviewed, nothing more, nothing less, nothing changed.
//
// Objects are matched by apiVersion, kind, namespace and name. Every object of
// the folder (every *.yaml below DIR except kustomization.yaml and the patch
// files it names) must come out of kustomize exactly once and equal after
// parsing (formatting, comments and key order do not matter; values, types and
// list order do), and kustomize must not produce any object that is not in the
// folder's files. An object a patch of the kustomization targets may come out
// changed: as changed, it must then pass the same schema (`validate`) and
// best-practice (`practices`) checks as the folder's objects.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isObject, loadManifests, objectId, parseDocuments } from '../load.mjs';
import { Report } from '../report.mjs';
import { allKustomizePatches } from '../kustomize-patches.mjs';
import { validateObject } from './validate.mjs';
import { checkObjects } from './practices.mjs';

export const HELP = `manifest-check kustomize [options] DIR...
  Runs \`kubectl kustomize DIR\` for each DIR (a folder with a
  kustomization.yaml, such as k8s-out/<env>/) and compares its objects with
  the objects of the folder's files: each must come out exactly once and
  unchanged (or, when a patch of the kustomization targets it, changed and
  still valid: schema and best practices), and kustomize must add none.
  FAIL lines name the object, the file and the differing fields.
  kubectl: --kubectl, else $KUBECTL, else tools/manifest-check/.cache/kubectl
  (scripts/install-tools.sh installs the pinned v1.33.0), else PATH.
  --kubectl PATH      the kubectl binary
  -q, --quiet         print only FAIL lines and the summary`;

const CACHED_KUBECTL = fileURLToPath(new URL('../../.cache/kubectl', import.meta.url));
const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function parseArgs(args) {
  const opts = { kubectl: null, quiet: false, dirs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--kubectl') {
      if (i + 1 >= args.length) throw Object.assign(new Error('--kubectl needs a value'), { usage: true });
      opts.kubectl = args[++i];
    } else if (a.startsWith('--kubectl=')) opts.kubectl = a.slice('--kubectl='.length);
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.dirs.push(a);
  }
  if (!opts.dirs.length) throw Object.assign(new Error('no DIR given'), { usage: true });
  return opts;
}

/** The kubectl binary: the option, $KUBECTL, the project's cache, PATH; null when there is none. */
export function findKubectl(option, env = process.env) {
  if (option) return option;
  if (env.KUBECTL) return env.KUBECTL;
  if (fs.existsSync(CACHED_KUBECTL)) return CACHED_KUBECTL;
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, 'kubectl');
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

/** apiVersion/kind/namespace/name: how kustomize itself tells objects apart. */
export function identity(obj) {
  const md = isObject(obj.metadata) ? obj.metadata : {};
  return [obj.apiVersion ?? '', obj.kind ?? '', md.namespace ?? '', md.name ?? md.generateName ?? ''].join('/');
}

/** The differing fields of two parsed objects, as "path: a -> b" (at most `limit`). */
export function differences(a, b, limit = 5) {
  const out = [];
  const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 60));
  const walk = (x, y, where) => {
    if (out.length >= limit) return;
    if (isObject(x) && isObject(y)) {
      for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) walk(x[k], y[k], where ? `${where}.${k}` : k);
    } else if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((v, i) => walk(v, y[i], `${where}[${i}]`));
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push(`${where || '(object)'}: ${show(x)} -> ${show(y)}`);
    }
  };
  walk(a, b, '');
  return out;
}

export async function runKustomize(args, io = {}) {
  const opts = parseArgs(args);
  const err = io.err || process.stderr;
  const kubectl = findKubectl(opts.kubectl);
  if (!kubectl) {
    err.write('manifest-check kustomize: kubectl not found; run scripts/install-tools.sh (or set KUBECTL)\n');
    return 2;
  }
  const version = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
  if (version.status !== 0) {
    err.write(`manifest-check kustomize: ${kubectl} does not run: ${(version.stderr || version.error?.message || '').trim()}\n`);
    return 2;
  }
  const kubectlVersion = /Client Version: (\S+)/.exec(version.stdout)?.[1] ?? '?';
  const report = new Report({ quiet: opts.quiet, ...io });
  for (const dir of opts.dirs) await checkFolder(dir, kubectl, kubectlVersion, report);
  return report.finish();
}

/** Whether a kustomize patch target ({ group, version, kind, name }) selects `obj`. */
export function targets(target, obj) {
  const [group, version] = (obj.apiVersion ?? '').includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion ?? ''];
  const md = isObject(obj.metadata) ? obj.metadata : {};
  return (target.kind === undefined || target.kind === obj.kind)
    && (target.name === undefined || target.name === md.name)
    && (target.group === undefined || target.group === group)
    && (target.version === undefined || target.version === version)
    && (target.namespace === undefined || target.namespace === (md.namespace ?? ''));
}

/** The patches (files and inline ones) of the folder's kustomization with the objects each targets: [{ entry, select(obj) }]. */
function patchSelectors(dir) {
  return allKustomizePatches(dir).map((p) => {
    if (p.target) return { entry: p.entry, select: (o) => targets(p.target, o) };
    let docs = [];
    try {
      docs = parseDocuments(p.file === null ? p.text : fs.readFileSync(p.file, 'utf8')).filter((d) => isObject(d.value)).map((d) => d.value);
    } catch {
      docs = [];
    }
    return { entry: p.entry, select: (o) => docs.some((d) => identity(d) === identity(o)) };
  });
}

async function checkFolder(dir, kubectl, kubectlVersion, report) {
  const kfile = KUSTOMIZATION.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  const kid = `Kustomization/${path.basename(path.resolve(dir))}`;
  if (!kfile) {
    report.fail(kid, dir, 'no kustomization.yaml in this folder');
    return;
  }
  const r = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    report.fail(kid, kfile, `kubectl kustomize failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').join(' ')}`);
    return;
  }
  const built = [];
  for (const d of parseDocuments(r.stdout)) {
    if (d.error) {
      report.fail(kid, kfile, `kubectl kustomize output, document ${d.doc}: ${d.error}`);
      return;
    }
    built.push(d.value);
  }
  const { entries } = loadManifests([dir]);
  const byId = new Map();
  for (const o of built) {
    const id = identity(o);
    byId.set(id, [...(byId.get(id) ?? []), o]);
  }
  const seen = new Set();
  const patches = patchSelectors(dir);
  const practices = new Map(checkObjects(built.map((obj) => ({ obj }))).map((r) => [r.entry.obj, r.problems]));
  for (const e of entries) {
    if (e.error || !isObject(e.obj)) {
      report.fail(objectId(e.obj), e.file, e.error ?? 'not an object');
      continue;
    }
    const id = identity(e.obj);
    const oid = objectId(e.obj);
    if (seen.has(id)) {
      report.fail(oid, e.file, 'defined twice in the folder (kustomize keeps one)');
      continue;
    }
    seen.add(id);
    const out = byId.get(id) ?? [];
    if (!out.length) report.fail(oid, e.file, 'missing from the kubectl kustomize output (not listed in kustomization.yaml?)');
    else if (out.length > 1) report.fail(oid, e.file, `kubectl kustomize yields it ${out.length} times`);
    else {
      const diff = differences(e.obj, out[0]);
      const by = patches.filter((p) => p.select(e.obj)).map((p) => p.entry);
      if (diff.length && by.length) {
        const problems = [...(await validateObject(out[0])), ...(practices.get(out[0]) ?? []).map(([check, msg]) => `[${check}] ${msg}`)];
        if (problems.length) report.fail(oid, e.file, [`as patched by ${by.join(', ')}:`, ...problems]);
        else report.ok(oid, e.file, `patched by ${by.join(', ')}`);
      } else if (diff.length) report.fail(oid, e.file, [`changed by kustomize: ${diff[0]}`, ...diff.slice(1)]);
      else report.ok(oid, e.file);
    }
  }
  const extra = [...byId.keys()].filter((id) => !seen.has(id));
  for (const id of extra) report.fail(objectId(byId.get(id)[0]), `kubectl kustomize ${dir}`, 'not an object of any file of the folder (added by kustomize)');
  if (!extra.length && built.length === seen.size) report.ok(kid, kfile, `${built.length} objects, kubectl ${kubectlVersion}`);
  else report.fail(kid, kfile, `kubectl kustomize yields ${built.length} objects, the folder has ${seen.size}`);
}
