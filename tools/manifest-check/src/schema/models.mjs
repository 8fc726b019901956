// Looking up the OpenAPI validator of an apiVersion/kind.
//
// The schemas come precompiled (ajv) in the npm packages `kubernetes-models`
// (built-in API groups) and `@kubernetes-models/*` (custom resources), and for
// the few custom resources no such package holds, from JSON Schema files
// (local-crds.mjs, crds/). Each
// type is a module `<pkg>/<group>/<version>/<Kind>` exporting a class whose
// prototype.validate(this) throws an error with ajv `errors` when invalid.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_GROUPS, localModel } from './local-crds.mjs';

/** API group -> npm package holding its custom resource schemas. */
export const CRD_PACKAGES = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'keda.sh': '@kubernetes-models/keda',
  'eventing.keda.sh': '@kubernetes-models/keda',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'gateway.networking.x-k8s.io': '@kubernetes-models/gateway-api',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'acme.cert-manager.io': '@kubernetes-models/cert-manager',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};
const CORE_PACKAGE = 'kubernetes-models';

// this package's own node_modules (installed by `npm ci`)
const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

function packageRoot(pkg) {
  const root = path.join(NODE_MODULES, pkg);
  return fs.existsSync(path.join(root, 'package.json')) ? root : null;
}

export function packageVersion(pkg) {
  const root = packageRoot(pkg);
  return root ? JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version : null;
}

const cache = new Map();

/**
 * Resolve the model class for apiVersion/kind.
 * Returns { model } or { error } (why there is no schema).
 */
export async function findModel(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (!cache.has(key)) cache.set(key, await lookup(apiVersion, kind));
  return cache.get(key);
}

async function lookup(apiVersion, kind) {
  const parts = apiVersion.split('/');
  if (parts.length > 2) return { error: `malformed apiVersion "${apiVersion}"` };
  const [group, version] = parts.length === 1 ? ['', parts[0]] : parts;
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(version)) {
    return { error: `malformed apiVersion "${apiVersion}"` };
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return { error: `malformed kind "${kind}"` };
  if (LOCAL_GROUPS.has(group)) {
    const model = localModel(apiVersion, kind);
    return model ? { model } : { error: `unknown apiVersion/kind ${apiVersion} ${kind} (src/schema/crds/ has no schema for it)` };
  }

  const pkg = CRD_PACKAGES[group] || CORE_PACKAGE;
  const root = packageRoot(pkg);
  if (!root) return { error: `no schema for ${apiVersion} ${kind}: npm package ${pkg} is not installed (run scripts/install-tools.sh)` };
  const rel = group ? `${group}/${version}/${kind}` : `${version}/${kind}`;
  if (!fs.existsSync(path.join(root, `${rel}.js`))) {
    if (group && !CRD_PACKAGES[group] && !fs.existsSync(path.join(root, group))) {
      return {
        error: `unknown apiVersion/kind ${apiVersion} ${kind}: no schema for API group "${group}" ` +
          `(custom resources known: ${Object.keys(CRD_PACKAGES).join(', ')})`,
      };
    }
    return { error: `unknown apiVersion/kind ${apiVersion} ${kind} (not in ${pkg}@${packageVersion(pkg)})` };
  }
  const mod = await import(`${pkg}/${rel}`);
  const model = mod[kind];
  // list item types and sub-structures have no apiVersion/kind of their own
  if (typeof model !== 'function' || model.apiVersion !== apiVersion || model.kind !== kind) {
    return { error: `${apiVersion} ${kind} is not a top-level resource` };
  }
  return { model };
}
