// The Kubernetes OpenAPI documents of each supported minor version
// (schemas/kubernetes/<minor>.json.gz, provenance and checksums in
// schemas/kubernetes/sources.json), turned into strict validators.
//
// kubernetes-models (used by `validate`) carries one schema, of its own
// Kubernetes version. These documents are the API of each release: which
// apiVersion/kinds it serves (alpha ones included, as the API server's own
// document does), which fields each type has and which are required, and
// which fields its documentation calls deprecated.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

/** The Kubernetes versions Growbin's manifests support (README, "Supported Kubernetes versions"). */
export const SUPPORTED_KUBERNETES = Object.freeze({ from: '1.30', to: '1.34' });

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/kubernetes/', import.meta.url));

/** sources.json: the provenance and checksum of every document. */
export function readSources(dir = SCHEMA_DIR) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'sources.json'), 'utf8'));
}

/** "1.30" -> 30 */
export const minorOf = (version) => Number(/^1\.(\d+)$/.exec(version)?.[1] ?? NaN);

const DEPRECATED_TEXT = /(?:^|[.\n]\s*)(?:Deprecated|DEPRECATED)\b:?\s*(.*)/;

/** "group/version" of a GVK entry of the document ("v1" for the core group). */
const apiVersionOf = ({ group, version }) => (group ? `${group}/${version}` : version);

/**
 * Swagger 2.0 schema -> JSON schema for ajv, strict like `kubectl apply
 * --validate=strict`: an object type with properties gets
 * additionalProperties: false (unless it preserves unknown fields).
 * IntOrString and Quantity accept numbers as the API server does.
 */
function toStrictSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toStrictSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string']) {
    return { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'format' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toStrictSchema(sub)]));
    } else out[key] = toStrictSchema(value);
  }
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** One Kubernetes minor version's API. */
export class KubernetesApi {
  constructor(entry, document) {
    this.minor = minorOf(entry.minor);
    this.version = entry.minor;
    this.release = entry.kubernetesRelease;
    this.definitions = document.definitions;
    this.byGvk = new Map(); // "apps/v1 Deployment" -> definition name
    this.groups = new Set();
    for (const [name, def] of Object.entries(this.definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] || []) {
        this.groups.add(gvk.group);
        // list types and option types share the GVK list; the object type has metadata
        if (def.properties?.metadata && !name.endsWith('List')) this.byGvk.set(`${apiVersionOf(gvk)} ${gvk.kind}`, name);
      }
    }
    this.ajv = null;
    this.validators = new Map();
  }

  /** Whether the API group is built into Kubernetes ("" is the core group). */
  hasGroup(group) {
    return this.groups.has(group);
  }

  /** The definition name serving apiVersion/kind, or undefined. */
  definitionOf(apiVersion, kind) {
    return this.byGvk.get(`${apiVersion} ${kind}`);
  }

  /** The apiVersions this release serves for a group's kind. */
  versionsOf(group, kind) {
    const out = [];
    for (const key of this.byGvk.keys()) {
      const [apiVersion, k] = key.split(' ');
      const g = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      if (k === kind && g === group) out.push(apiVersion);
    }
    return out;
  }

  /** ajv errors of obj against the definition (strict), as [] when valid. */
  schemaErrors(definitionName, obj) {
    if (!this.validators.has(definitionName)) {
      if (!this.ajv) {
        this.ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
        const definitions = Object.fromEntries(Object.entries(this.definitions).map(([name, def]) => [name, toStrictSchema(def)]));
        definitions[QUANTITY] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
        this.ajv.addSchema({ $id: 'k8s', definitions });
      }
      this.validators.set(definitionName, this.ajv.compile({ $ref: `k8s#/definitions/${definitionName}` }));
    }
    const validate = this.validators.get(definitionName);
    return validate(obj) ? [] : validate.errors;
  }

  /** Fields of obj that this release documents as deprecated: [{ path, text }]. */
  deprecatedFields(definitionName, obj) {
    const found = [];
    const resolve = (schema) => {
      let s = schema;
      while (s && (s.$ref || s.allOf)) s = s.$ref ? this.definitions[s.$ref.replace('#/definitions/', '')] : s.allOf[0];
      return s || {};
    };
    const walk = (value, schema, where) => {
      const s = resolve(schema);
      if (Array.isArray(value)) {
        if (s.items) value.forEach((v, i) => walk(v, s.items, `${where}[${i}]`));
        return;
      }
      if (value === null || typeof value !== 'object') return;
      if (s.properties) {
        for (const [key, v] of Object.entries(value)) {
          const prop = s.properties[key];
          if (!prop) continue;
          const childPath = where ? `${where}.${key}` : key;
          const m = DEPRECATED_TEXT.exec(prop.description || '');
          if (m) found.push({ path: childPath, text: m[1].split('\n')[0].trim() });
          walk(v, prop, childPath);
        }
      } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        for (const [key, v] of Object.entries(value)) walk(v, s.additionalProperties, where ? `${where}.${key}` : key);
      }
    };
    walk(obj, { $ref: `#/definitions/${definitionName}` }, '');
    return found;
  }
}

/**
 * Load and checksum-verify the document of one minor version.
 * Throws when the file is missing or its content differs from sources.json.
 */
export function loadApi(version, dir = SCHEMA_DIR) {
  const entry = readSources(dir).versions.find((v) => v.minor === version);
  if (!entry) throw new Error(`no OpenAPI document for Kubernetes ${version} in ${path.join(dir, 'sources.json')}`);
  const file = path.join(dir, entry.file);
  const text = zlib.gunzipSync(fs.readFileSync(file));
  const sum = crypto.createHash('sha256').update(text).digest('hex');
  if (sum !== entry.sha256) {
    throw new Error(`${file}: sha256 ${sum} differs from ${entry.sha256} in sources.json (changed or corrupted; see sources.json for its origin)`);
  }
  return new KubernetesApi(entry, JSON.parse(text));
}
