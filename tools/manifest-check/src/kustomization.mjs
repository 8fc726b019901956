// kustomization.yaml consistency, so that `kubectl apply -k DIR` applies
// exactly the generated files: every listed resource and patch exists, and
// every manifest file below the folder is listed (as a resource or a patch,
// directly, or through a listed sub-folder that has its own kustomization.yaml).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { asArray, asObject } from './k8s.mjs';
import { kustomizePatches } from './kustomize-patches.mjs';

const MANIFEST = /\.ya?ml$/i;
const KUSTOMIZATION = /^kustomization\.ya?ml$/i;

/** Problems of one kustomization file (empty: consistent). */
export function kustomizationProblems(file) {
  const dir = path.dirname(file);
  let k;
  try {
    k = asObject(YAML.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    return [`YAML error: ${e.message.split('\n')[0]}`];
  }
  const problems = [];
  const covered = new Set();
  for (const r of [...asArray(k.resources), ...asArray(k.bases)]) {
    if (typeof r !== 'string' || /^[a-z]+:\/\//.test(r)) continue; // remote bases are not ours to check
    const p = path.resolve(dir, r);
    if (!fs.existsSync(p)) problems.push(`resources: "${r}" does not exist`);
    else if (fs.statSync(p).isDirectory()) {
      if (!fs.readdirSync(p).some((n) => KUSTOMIZATION.test(n))) problems.push(`resources: folder "${r}" has no kustomization.yaml`);
      covered.add(`${p}${path.sep}`);
    } else covered.add(p);
  }
  for (const p of kustomizePatches(dir)) {
    if (!fs.existsSync(p.file)) problems.push(`patches: "${p.entry}" does not exist`);
    else covered.add(p.file);
  }
  const unlisted = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && ![...covered].some((c) => c.endsWith(path.sep) && `${p}${path.sep}`.startsWith(c))) walk(p);
      } else if (MANIFEST.test(e.name) && !KUSTOMIZATION.test(e.name) && !covered.has(path.resolve(p))) {
        unlisted.push(path.relative(dir, p));
      }
    }
  };
  walk(path.resolve(dir));
  if (unlisted.length) problems.push(`not listed in resources: ${unlisted.sort().join(', ')}`);
  return problems;
}
