// `manifest-check layout OUTPUT_DIR...`: the output folder (k8s-out/) holds
// only what GitOps tooling may read as Kubernetes objects. Argo CD's directory
// mode, kubeconform, `kubectl apply -R` and most reviewers' tools read every
// YAML file of a folder as whole objects, so:
//   * the output folder holds environment folders (each with a
//     kustomization.yaml), argocd/, helm/ and README.md, nothing else (the
//     promtool tests of the alerts go beside it, to <output>-tests/);
//   * an environment folder holds, besides its kustomization.yaml, only YAML
//     files whose every document is a whole object (apiVersion, kind,
//     metadata.name), and no file its kustomization.yaml uses as a patch (a
//     partial object; Growbin writes patches inline in kustomization.yaml).
import fs from 'node:fs';
import path from 'node:path';
import { kustomizationFile, kustomizePatches } from '../kustomize-patches.mjs';
import { isObject, parseDocuments } from '../load.mjs';
import { Report } from '../report.mjs';

export const HELP = `manifest-check layout [options] OUTPUT_DIR...
  Checks the layout of an output folder such as k8s-out/: its entries are
  environment folders (with a kustomization.yaml), argocd/, helm/ and
  README.md only; in each environment folder every YAML document but
  kustomization.yaml is a whole object (apiVersion, kind, metadata.name) and
  no file is a kustomize patch (write patches inline in kustomization.yaml).
  -q, --quiet         print only FAIL lines and the summary`;

/** The entries of an output folder besides the environment folders. */
export const OTHER_ENTRIES = { argocd: 'folder', helm: 'folder', 'README.md': 'file' };
const YAML_FILE = /\.ya?ml$/i;

export function parseArgs(args) {
  const opts = { quiet: false, dirs: [] };
  for (const a of args) {
    if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.dirs.push(a);
  }
  if (!opts.dirs.length) throw Object.assign(new Error('no OUTPUT_DIR given'), { usage: true });
  return opts;
}

export async function runLayout(args, io = {}) {
  const opts = parseArgs(args);
  const report = new Report({ quiet: opts.quiet, ...io });
  for (const dir of opts.dirs) checkOutput(dir, report);
  return report.finish();
}

function checkOutput(dir, report) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    report.fail('Output/?', dir, 'not a folder');
    return;
  }
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let environments = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && kustomizationFile(p)) {
      environments++;
      checkEnvironment(p, report);
    } else if (OTHER_ENTRIES[e.name] === (e.isDirectory() ? 'folder' : 'file')) {
      report.ok(`Output/${e.name}`, p);
    } else {
      report.fail(`Output/${e.name}`, p, `not an environment folder (one with a kustomization.yaml), argocd/, helm/ nor README.md:`
        + ' GitOps tooling reads every file of the output folder as Kubernetes objects (tests and other files go beside it)');
    }
  }
  if (!environments) report.fail('Output/?', dir, 'no environment folder (one with a kustomization.yaml): the check would pass on nothing');
}

function checkEnvironment(dir, report) {
  const kfile = path.resolve(kustomizationFile(dir));
  const patchFiles = new Map(kustomizePatches(dir).map((p) => [p.file, p.entry]));
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  for (const file of files.sort()) {
    const abs = path.resolve(file);
    if (abs === kfile) continue;
    const id = `File/${path.relative(dir, file)}`;
    if (patchFiles.has(abs)) {
      report.fail(id, file, `a kustomize patch (kustomization.yaml: ${patchFiles.get(abs)}): a partial object, which tools that read`
        + ' every file of the folder take for a whole, broken one; write it inline in kustomization.yaml (patches: - patch: |-)');
      continue;
    }
    if (!YAML_FILE.test(file)) {
      report.fail(id, file, 'not a YAML file: an environment folder holds only objects and its kustomization.yaml');
      continue;
    }
    const problems = [];
    const docs = parseDocuments(fs.readFileSync(file, 'utf8'));
    for (const d of docs) {
      if (d.error) problems.push(`document ${d.doc} (line ${d.line}): ${d.error}`);
      else {
        const missing = wholeObjectMissing(d.value);
        if (missing.length) problems.push(`document ${d.doc} (line ${d.line}) is not a whole object: no ${missing.join(', ')}`);
      }
    }
    if (!docs.length) problems.push('no YAML document');
    report.result(id, file, problems);
  }
}

/** What a document lacks to be a whole object: apiVersion, kind, metadata.name (non-empty strings). */
export function wholeObjectMissing(doc) {
  if (!isObject(doc)) return ['mapping (it is a list or a scalar)'];
  const text = (v) => typeof v === 'string' && v !== '';
  const missing = [];
  if (!text(doc.apiVersion)) missing.push('apiVersion');
  if (!text(doc.kind)) missing.push('kind');
  if (!text(isObject(doc.metadata) ? doc.metadata.name : undefined)) missing.push('metadata.name');
  return missing;
}
