// `manifest-check k8s-versions PATH...`: every built-in object must be accepted,
// unchanged, by each Kubernetes release of the supported range, judged by that
// release's own OpenAPI document (schemas/kubernetes/, see sources.json there):
// its apiVersion is served and not alpha, neither the apiVersion nor any field
// used is deprecated in that release, and the object passes the release's schema
// strictly (a field that the release does not know fails). Custom resources
// (argoproj.io, monitoring.coreos.com, ...) are skipped: their schema is their
// CRD's, checked by `validate`.
import path from 'node:path';
import { isObject, loadManifests, objectId } from '../load.mjs';
import { Report } from '../report.mjs';
import { SCHEMA_DIR, SUPPORTED_KUBERNETES, loadApi, minorOf } from '../schema/openapi.mjs';
import { deprecatedApi, removedApi } from '../schema/removed-apis.mjs';
import { fieldPath } from './validate.mjs';

export const HELP = `manifest-check k8s-versions [options] PATH...
  Checks every built-in object in the *.yaml/*.yml files under PATH against the
  OpenAPI document of each Kubernetes release from --from to --to: apiVersion
  served (not removed, not alpha), no deprecated apiVersion or field, strict schema.
  --from 1.N          first release (default ${SUPPORTED_KUBERNETES.from})
  --to 1.N            last release (default ${SUPPORTED_KUBERNETES.to})
  --schemas DIR       the documents and their sources.json (default tools/manifest-check/schemas/kubernetes)
  -q, --quiet         print only FAIL lines and the summary`;

const usage = (message) => Object.assign(new Error(message), { usage: true });

export function parseK8sVersionsArgs(args) {
  const opts = { from: SUPPORTED_KUBERNETES.from, to: SUPPORTED_KUBERNETES.to, schemas: SCHEMA_DIR, quiet: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name) => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a === '--from' || a.startsWith('--from=')) opts.from = value('--from');
    else if (a === '--to' || a.startsWith('--to=')) opts.to = value('--to');
    else if (a === '--schemas' || a.startsWith('--schemas=')) opts.schemas = value('--schemas');
    else if (a.startsWith('-')) throw usage(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  for (const v of [opts.from, opts.to]) if (Number.isNaN(minorOf(v || ''))) throw usage(`a Kubernetes version is 1.N, got "${v}"`);
  if (minorOf(opts.from) > minorOf(opts.to)) throw usage(`--from ${opts.from} is after --to ${opts.to}`);
  if (!opts.paths.length) throw usage('no PATH given');
  return opts;
}

/** The releases from..to, each loaded and checksum-verified. */
export function loadRange(from, to, dir = SCHEMA_DIR) {
  const apis = [];
  for (let m = minorOf(from); m <= minorOf(to); m++) apis.push(loadApi(`1.${m}`, dir));
  return apis;
}

/** "1.30-1.32, 1.34" for minors [30, 31, 32, 34]. */
export function versionRanges(minors) {
  const sorted = [...new Set(minors)].sort((a, b) => a - b);
  const runs = [];
  for (const m of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === m - 1) last[1] = m;
    else runs.push([m, m]);
  }
  return runs.map(([a, b]) => (a === b ? `1.${a}` : `1.${a}-1.${b}`)).join(', ');
}

/** The API server treats `field: null` as an absent field. */
function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function schemaMessage(e) {
  const at = fieldPath(e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const field = at === '(root)' ? e.params.additionalProperty : `${at}.${e.params.additionalProperty}`;
    return `${field}: unknown field`;
  }
  return `${at}: ${e.message || e.keyword}`;
}

const groupOf = (apiVersion) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
const isGa = (apiVersion) => /^v\d+$/.test(apiVersion.slice(apiVersion.lastIndexOf('/') + 1));

/** Reasons why one release would not take obj as it is: [] when it would. */
export function releaseProblems(api, obj) {
  const { apiVersion, kind } = obj;
  const problems = [];
  const removed = removedApi(apiVersion, kind, api.minor);
  if (removed) problems.push(removed);
  const definition = api.definitionOf(apiVersion, kind);
  if (!definition) {
    if (!removed) {
      const served = api.versionsOf(groupOf(apiVersion), kind);
      problems.push(`${apiVersion} ${kind} is not served${served.length ? ` (this release serves ${served.join(', ')})` : ''}`);
    }
    return problems;
  }
  if (/alpha\d+$/.test(apiVersion)) problems.push(`${apiVersion} is an alpha API: not served unless a feature gate enables it`);
  const gaVersions = api.versionsOf(groupOf(apiVersion), kind).filter((v) => v !== apiVersion && isGa(v));
  const deprecated = deprecatedApi(apiVersion, kind, api.minor, gaVersions);
  if (deprecated) problems.push(deprecated);
  problems.push(...new Set(api.schemaErrors(definition, withoutNulls(obj)).map(schemaMessage)));
  for (const { path: field, text } of api.deprecatedFields(definition, obj)) problems.push(`${field}: deprecated field${text ? `: ${text}` : ''}`);
  return problems;
}

/** Problems of obj over all releases, each prefixed with the releases it occurs in. */
export function rangeProblems(apis, obj) {
  const byProblem = new Map();
  for (const api of apis) {
    for (const p of releaseProblems(api, obj)) {
      if (!byProblem.has(p)) byProblem.set(p, []);
      byProblem.get(p).push(api.minor);
    }
  }
  return [...byProblem].map(([p, minors]) => `[${versionRanges(minors)}] ${p}`);
}

export async function runK8sVersions(args, io = {}) {
  const opts = parseK8sVersionsArgs(args);
  const report = new Report({ quiet: opts.quiet, ...io });
  const apis = loadRange(opts.from, opts.to, opts.schemas);
  const range = versionRanges(apis.map((a) => a.minor));
  const { entries, skipped, missing } = loadManifests(opts.paths);
  for (const m of missing) report.fail('?/?', m, 'no such file or directory');
  for (const s of skipped) report.note(`SKIP ${s.file}: ${s.kustomization ? 'kustomization.yaml (not an object)' : s.reason}`);
  let customResources = 0;
  for (const e of entries) {
    if (e.error) {
      report.fail('?/?', e.file, `document ${e.doc} (line ${e.line}): ${e.error}`);
      continue;
    }
    const obj = e.obj;
    if (!isObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      report.fail(objectId(obj), e.file, 'not a Kubernetes object (apiVersion and kind are needed)');
      continue;
    }
    if (!apis.some((api) => api.hasGroup(groupOf(obj.apiVersion)))) {
      customResources++;
      report.note(`SKIP ${objectId(obj)} ${e.file}: ${obj.apiVersion} is not a Kubernetes API group (a custom resource: its CRD's schema is checked by validate)`);
      continue;
    }
    const problems = rangeProblems(apis, obj);
    if (problems.length) report.fail(objectId(obj), e.file, problems);
    else report.ok(objectId(obj), e.file, `Kubernetes ${range}`);
  }
  if (report.passed + report.failed + customResources === 0) {
    report.fail('?/?', opts.paths.map((p) => path.normalize(p)).join(' '), 'no Kubernetes objects found');
  }
  return report.finish();
}
