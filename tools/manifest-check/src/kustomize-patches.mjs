// The patch files a folder's kustomization.yaml names: `patches` (path and
// optional target), and the older `patchesStrategicMerge` and
// `patchesJson6902`. A patch is no object of its own: `validate`, `practices`
// and `helm-compare` leave these files out, and `kustomize` checks the objects
// as the patches change them.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of `dir`, or null. */
export function kustomizationFile(dir) {
  return KUSTOMIZATION_FILES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f)) ?? null;
}

/**
 * The patch files of `dir`'s kustomization: [{ file (absolute), entry (as written), target (or null) }].
 * Inline patches (no file) and remote ones are not listed; an unreadable kustomization lists none.
 */
export function kustomizePatches(dir) {
  const file = kustomizationFile(dir);
  if (!file) return [];
  let k;
  try {
    k = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  if (!k || typeof k !== 'object') return [];
  const out = [];
  const add = (p, target) => {
    if (typeof p === 'string' && !/^[a-z]+:\/\//.test(p) && !p.includes('\n')) {
      out.push({ file: path.resolve(dir, p), entry: p, target: target && typeof target === 'object' ? target : null });
    }
  };
  for (const e of Array.isArray(k.patches) ? k.patches : []) if (e && typeof e === 'object') add(e.path, e.target);
  for (const e of Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []) add(e, null);
  for (const e of Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []) if (e && typeof e === 'object') add(e.path, e.target);
  return out;
}
