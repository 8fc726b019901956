// The patches a folder's kustomization.yaml names: `patches` (a path or an
// inline `patch`, with an optional target), and the older
// `patchesStrategicMerge` and `patchesJson6902`. A patch is no object of its
// own: `validate`, `practices` and `helm-compare` leave patch files out, and
// `kustomize` checks the objects as the patches change them. (Growbin writes
// its patches inline, so that the folder holds only whole objects; `layout`
// checks that.)
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
  return allKustomizePatches(dir).filter((p) => p.file !== null);
}

/**
 * Every local patch of `dir`'s kustomization, files and inline ones:
 * [{ file (absolute, or null for an inline patch), text (an inline patch's text, else null),
 *    entry (the path as written, or `patches[i]` for an inline one), target (or null) }].
 */
export function allKustomizePatches(dir) {
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
  const asTarget = (target) => (target && typeof target === 'object' ? target : null);
  const add = (p, target) => {
    if (typeof p === 'string' && !/^[a-z]+:\/\//.test(p) && !p.includes('\n')) {
      out.push({ file: path.resolve(dir, p), text: null, entry: p, target: asTarget(target) });
    }
  };
  (Array.isArray(k.patches) ? k.patches : []).forEach((e, i) => {
    if (!e || typeof e !== 'object') return;
    if (typeof e.patch === 'string') out.push({ file: null, text: e.patch, entry: `patches[${i}]`, target: asTarget(e.target) });
    else add(e.path, e.target);
  });
  for (const e of Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []) add(e, null);
  for (const e of Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []) if (e && typeof e === 'object') add(e.path, e.target);
  return out;
}
