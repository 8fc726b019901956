// Finding manifest files and reading the Kubernetes objects in them.
//
// YAML is read the way kubectl reads it (sigs.k8s.io/yaml on go-yaml v2):
// YAML 1.1 scalars (`yes`/`on` are booleans, `0755` is octal), duplicate keys
// are errors, timestamps stay strings. Multi-document files are split and
// `kind: List` objects are expanded into their items.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { kustomizePatches } from './kustomize-patches.mjs';

const YAML_FILE = /\.ya?ml$/i;
const IGNORED_DIRS = new Set(['node_modules', 'target']);

const YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  // go-yaml leaves timestamps as strings; keep them strings here too
  customTags: (tags) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp'),
};

/**
 * Walk `inputs` (files or directories) and return the YAML files to check,
 * sorted, plus the files deliberately skipped (with a reason).
 * Skipped: kustomization.yaml, the patch files a kustomization.yaml names
 * (patches are no objects; `manifest-check kustomize` checks what they do),
 * Helm chart metadata (Chart.yaml, Chart.lock, values*.yaml of a chart) and
 * Helm templates (files under a `templates/` directory of a chart, or
 * containing `{{` there).
 */
export function findYamlFiles(inputs) {
  const files = [];
  const skipped = [];
  const missing = [];
  const patches = new Set();

  const consider = (file, inChart) => {
    const base = path.basename(file);
    if (/^kustomization\.ya?ml$/i.test(base)) {
      skipped.push({ file, reason: 'kustomization (kustomize input, not an object)', kustomization: true });
    } else if (patches.has(path.resolve(file))) {
      skipped.push({ file, reason: 'kustomize patch (no object; `manifest-check kustomize` checks the objects it changes)', patch: true });
    } else if (inChart && /^(Chart\.ya?ml|Chart\.lock|values.*\.ya?ml)$/i.test(base)) {
      skipped.push({ file, reason: 'Helm chart metadata/values' });
    } else if (isHelmTemplate(file, inChart)) {
      skipped.push({ file, reason: 'Helm template; check `helm template` output instead' });
    } else {
      files.push(file);
    }
  };

  // A file under a `templates/` directory is a Helm template when it is part of
  // a chart or contains Go-template markup. (`{{` elsewhere is legitimate, for
  // example in PrometheusRule annotations such as `{{ $labels.service }}`.)
  const isHelmTemplate = (file, inChart) =>
    path.resolve(file).split(path.sep).includes('templates') && (inChart || fs.readFileSync(file, 'utf8').includes('{{'));

  const walk = (dir, inChart) => {
    const chart = inChart || fs.existsSync(path.join(dir, 'Chart.yaml'));
    for (const p of kustomizePatches(dir)) patches.add(p.file);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !IGNORED_DIRS.has(entry.name)) walk(p, chart);
      } else if (YAML_FILE.test(entry.name)) {
        consider(p, chart);
      }
    }
  };

  for (const input of inputs) {
    if (!fs.existsSync(input)) missing.push(input);
    else if (fs.statSync(input).isDirectory()) walk(input, false);
    else {
      for (let d = path.dirname(path.resolve(input)), i = 0; i < 3; d = path.dirname(d), i++) kustomizePatches(d).forEach((p) => patches.add(p.file));
      consider(input, ['.', '..'].some((up) => fs.existsSync(path.join(path.dirname(input), up, 'Chart.yaml'))));
    }
  }
  return { files, skipped, missing };
}

/** Split one YAML text into documents: [{ doc, line, value } | { doc, line, error }]. Empty documents are dropped. */
export function parseDocuments(text) {
  const out = [];
  YAML.parseAllDocuments(text, YAML_OPTIONS).forEach((d, i) => {
    const line = d.range ? text.slice(0, d.range[0]).split('\n').length : 1;
    if (d.errors.length) {
      out.push({ doc: i + 1, line, error: `YAML error: ${d.errors[0].message.split('\n')[0].replace(/:\s*$/, '')}` });
      return;
    }
    try {
      const value = toPlain(d.toJS({ maxAliasCount: 100 }));
      if (value !== null && value !== undefined) out.push({ doc: i + 1, line, value });
    } catch (e) {
      out.push({ doc: i + 1, line, error: `YAML error: ${e.message.split('\n')[0]}` });
    }
  });
  return out;
}

// Maps with non-string keys and binary scalars become what JSON conversion
// (which kubectl does) would make of them.
function toPlain(v) {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toPlain(x)]));
  if (v instanceof Set) return Object.fromEntries([...v].map((k) => [String(k), null]));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

/**
 * Read every object under `inputs`.
 * Returns { entries, skipped, missing } where entries are, in file and
 * document order, { file, doc, line, obj } or { file, doc, line, error }.
 */
export function loadManifests(inputs) {
  const { files, skipped, missing } = findYamlFiles(inputs);
  const entries = [];
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      entries.push({ file, doc: 0, line: 0, error: `cannot read: ${e.code || e.message}` });
      continue;
    }
    for (const d of parseDocuments(text)) {
      if (d.error) {
        entries.push({ file, doc: d.doc, line: d.line, error: d.error });
      } else if (isObject(d.value) && d.value.kind === 'List' && Array.isArray(d.value.items)) {
        for (const item of d.value.items) entries.push({ file, doc: d.doc, line: d.line, obj: item });
      } else {
        entries.push({ file, doc: d.doc, line: d.line, obj: d.value });
      }
    }
  }
  return { entries, skipped, missing };
}

export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** "Kind/name" for messages ("?" where unknown). */
export function objectId(obj) {
  if (!isObject(obj)) return '?/?';
  const md = isObject(obj.metadata) ? obj.metadata : {};
  const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : '?';
  const name = typeof md.name === 'string' && md.name ? md.name : typeof md.generateName === 'string' ? `${md.generateName}*` : '?';
  return `${kind}/${name}`;
}
