// `manifest-check validate PATH...`: every object must be accepted by a
// Kubernetes API server: OpenAPI schema (strict: unknown fields are errors),
// apiVersion still served, API-server name/label/selector/port rules.
import path from 'node:path';
import { isObject, loadManifests, objectId } from '../load.mjs';
import { Report } from '../report.mjs';
import { findModel } from '../schema/models.mjs';
import { unknownFieldsSeenBy, withoutDocNamedFields } from '../schema/strict.mjs';
import { removedApi } from '../schema/removed-apis.mjs';
import { apiServerRuleErrors } from '../schema/api-rules.mjs';
import { kustomizationProblems } from '../kustomization.mjs';
import { SUPPORTED_KUBERNETES, minorOf } from '../schema/openapi.mjs';

// removed apiVersions are judged for the newest supported release
const DEFAULT_MINOR = minorOf(SUPPORTED_KUBERNETES.to);

export const HELP = `manifest-check validate [options] PATH...
  Validates every Kubernetes object in the *.yaml/*.yml files under PATH.
  --k8s-version 1.N   target cluster version for removed apiVersions (default ${SUPPORTED_KUBERNETES.to})
  --no-strict         accept fields unknown to the schema
  -q, --quiet         print only FAIL lines and the summary`;

export function parseValidateArgs(args) {
  const opts = { strict: true, k8sMinor: DEFAULT_MINOR, quiet: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--no-strict') opts.strict = false;
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a === '--k8s-version' || a.startsWith('--k8s-version=')) {
      const v = a.includes('=') ? a.split('=')[1] : args[++i];
      const m = /^1\.(\d+)$/.exec(v || '');
      if (!m) throw usage(`--k8s-version wants 1.N, got "${v}"`);
      opts.k8sMinor = Number(m[1]);
    } else if (a.startsWith('-')) throw usage(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (!opts.paths.length) throw usage('no PATH given');
  return opts;
}

const usage = (message) => Object.assign(new Error(message), { usage: true });

/** ajv instancePath "/spec/template/0" -> "spec.template[0]". */
export function fieldPath(instancePath) {
  if (!instancePath) return '(root)';
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function schemaMessages(ajvErrors) {
  const out = new Set();
  for (const e of ajvErrors || []) {
    let msg = `${fieldPath(e.instancePath)}: ${e.message || e.keyword}`;
    if (e.keyword === 'enum' && e.params?.allowedValues) msg += ` ${JSON.stringify(e.params.allowedValues)}`;
    out.add(msg);
  }
  return [...out];
}

/** All reasons why the API server would reject `obj` (empty list: valid). */
export async function validateObject(obj, { strict = true, k8sMinor = DEFAULT_MINOR } = {}) {
  if (!isObject(obj)) return [`document is not a mapping (it is ${Array.isArray(obj) ? 'a list' : typeof obj})`];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || !apiVersion) return ['apiVersion is missing'];
  if (typeof kind !== 'string' || !kind) return ['kind is missing'];
  const removed = removedApi(apiVersion, kind, k8sMinor);
  if (removed) return [removed];
  const { model, error } = await findModel(apiVersion, kind);
  if (error) return [error];

  const errors = [];
  const unknown = unknownFieldsSeenBy(obj, (tracked) => {
    try {
      model.prototype.validate.call(tracked);
    } catch (e) {
      if (Array.isArray(e.errors)) errors.push(...schemaMessages(e.errors));
      else errors.push(`schema validator failed: ${e.message}`);
    }
  });
  if (strict) for (const f of withoutDocNamedFields(kind, unknown)) errors.push(`${f}: unknown field`);
  errors.push(...apiServerRuleErrors(obj));
  return errors;
}

export async function runValidate(args, io = {}) {
  const opts = parseValidateArgs(args);
  const report = new Report({ quiet: opts.quiet, ...io });
  const { entries, skipped, missing } = loadManifests(opts.paths);
  for (const m of missing) report.fail('?/?', m, 'no such file or directory');
  for (const s of skipped) {
    if (s.kustomization) report.result(`Kustomization/${path.basename(path.dirname(path.resolve(s.file)))}`, s.file, kustomizationProblems(s.file));
    else report.note(`SKIP ${s.file}: ${s.reason}`);
  }
  for (const e of entries) {
    if (e.error) report.fail('?/?', e.file, `document ${e.doc} (line ${e.line}): ${e.error}`);
    else report.result(objectId(e.obj), e.file, await validateObject(e.obj, opts));
  }
  if (report.passed + report.failed === 0) {
    report.fail('?/?', opts.paths.join(' '), 'no Kubernetes objects found');
  }
  return report.finish();
}
