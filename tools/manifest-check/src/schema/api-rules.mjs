// Rules the Kubernetes API server enforces that the OpenAPI schema cannot
// express (k8s.io/apimachinery/pkg/util/validation and the apps/core
// validation code): name syntax, label syntax, selectors, port names.
import { isObject } from '../load.mjs';
import { asArray, asObject, containersOf, labelSelectorMatches, podOf } from '../k8s.mjs';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// Names that are "path segment names" only (no DNS rule): RBAC objects.
const PATH_SEGMENT_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
// Names that must be DNS-1123 labels (they become DNS names or label values).
const LABEL_NAMED = new Set(['Namespace']);
// Names that must be DNS-1035 labels (they become DNS names and env var prefixes).
const DNS1035_NAMED = new Set(['Service']);
// Kinds whose selector must match their pod template labels.
const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export const isDns1123Label = (s) => s.length <= 63 && DNS1123_LABEL.test(s);
export const isDns1123Subdomain = (s) => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
export const isDns1035Label = (s) => s.length <= 63 && DNS1035_LABEL.test(s);

/** IANA_SVC_NAME: <=15 chars, lowercase alphanumerics and '-', at least one letter, no '--', no leading/trailing '-'. */
export const isPortName = (s) => s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');

/** Problem with a qualified name ("prefix/name") used as label or annotation key, or null. */
export function qualifiedNameProblem(key) {
  const parts = key.split('/');
  if (parts.length > 2) return 'more than one "/"';
  const name = parts.at(-1);
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return `prefix "${parts[0]}" is not a DNS-1123 subdomain`;
  if (!name || name.length > 63 || !QUALIFIED_NAME.test(name)) return 'name part must be 1-63 alphanumerics, "-", "_" or ".", beginning and ending alphanumeric';
  return null;
}

function checkLabels(labels, where, errors) {
  if (!isObject(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const p = qualifiedNameProblem(k);
    if (p) errors.push(`${where}: invalid label key "${k}": ${p}`);
    if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
      errors.push(`${where}["${k}"]: invalid label value "${v}" (at most 63 alphanumerics, "-", "_" or ".", beginning and ending alphanumeric)`);
    }
  }
}

function checkName(obj, errors) {
  const md = asObject(obj.metadata);
  const name = md.name;
  if (typeof name !== 'string' || !name) {
    if (!md.generateName) errors.push('metadata.name: required');
    return;
  }
  if (PATH_SEGMENT_NAMED.has(obj.kind)) {
    if (/[/%]/.test(name) || name === '.' || name === '..') errors.push(`metadata.name: "${name}" may not be "." or ".." or contain "/" or "%"`);
  } else if (DNS1035_NAMED.has(obj.kind)) {
    if (!isDns1035Label(name)) errors.push(`metadata.name: "${name}" is not a DNS-1035 label (lowercase alphanumerics and "-", starting with a letter, at most 63 characters)`);
  } else if (LABEL_NAMED.has(obj.kind)) {
    if (!isDns1123Label(name)) errors.push(`metadata.name: "${name}" is not a DNS-1123 label`);
  } else if (!isDns1123Subdomain(name)) {
    errors.push(`metadata.name: "${name}" is not a DNS-1123 subdomain (lowercase alphanumerics, "-" and ".", at most 253 characters)`);
  }
  if (obj.kind === 'CronJob' && name.length > 52) errors.push('metadata.name: a CronJob name must be at most 52 characters');
  if (typeof md.namespace === 'string' && md.namespace && !isDns1123Label(md.namespace)) {
    errors.push(`metadata.namespace: "${md.namespace}" is not a DNS-1123 label`);
  }
}

function checkSelector(obj, errors) {
  if (!SELECTOR_KINDS.has(obj.kind)) return;
  const spec = asObject(obj.spec);
  const templateLabels = asObject(spec.template).metadata?.labels;
  checkLabels(templateLabels, 'spec.template.metadata.labels', errors);
  if (!isObject(spec.selector)) return; // required-ness is the schema's job
  checkLabels(spec.selector.matchLabels, 'spec.selector.matchLabels', errors);
  if (!Object.keys(asObject(spec.selector.matchLabels)).length && !asArray(spec.selector.matchExpressions).length) {
    errors.push('spec.selector: empty selector is not allowed');
  } else if (!labelSelectorMatches(spec.selector, templateLabels)) {
    errors.push('spec.template.metadata.labels: `selector` does not match template `labels`');
  }
}

function checkContainers(obj, errors) {
  const pod = podOf(obj);
  if (!pod) return;
  const names = new Set();
  if (Array.isArray(pod.spec.containers) && pod.spec.containers.length === 0) errors.push(`${pod.where}.containers: at least one container is required`);
  for (const { container: c, field, index } of containersOf(pod.spec)) {
    const where = `${pod.where}.${field}[${index}]`;
    if (typeof c.name === 'string') {
      if (!isDns1123Label(c.name)) errors.push(`${where}.name: "${c.name}" is not a DNS-1123 label`);
      if (names.has(c.name)) errors.push(`${where}.name: duplicate container name "${c.name}"`);
      names.add(c.name);
    }
    const portNames = new Set();
    asArray(c.ports).forEach((p, j) => {
      if (!isObject(p)) return;
      if (Number.isInteger(p.containerPort) && (p.containerPort < 1 || p.containerPort > 65535)) errors.push(`${where}.ports[${j}].containerPort: must be 1-65535`);
      if (typeof p.name === 'string') {
        if (!isPortName(p.name)) errors.push(`${where}.ports[${j}].name: "${p.name}" is not an IANA_SVC_NAME (at most 15 lowercase alphanumerics or "-", with a letter)`);
        if (portNames.has(p.name)) errors.push(`${where}.ports[${j}].name: duplicate port name "${p.name}"`);
        portNames.add(p.name);
      }
    });
  }
}

function checkServicePorts(obj, errors) {
  if (obj.kind !== 'Service') return;
  const ports = asArray(asObject(obj.spec).ports);
  const names = new Set();
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    if (ports.length > 1 && !p.name) errors.push(`spec.ports[${i}].name: required when the Service has more than one port`);
    if (typeof p.name === 'string' && p.name) {
      if (!isDns1123Label(p.name)) errors.push(`spec.ports[${i}].name: "${p.name}" is not a DNS-1123 label`);
      if (names.has(p.name)) errors.push(`spec.ports[${i}].name: duplicate "${p.name}"`);
      names.add(p.name);
    }
    for (const f of ['port', 'targetPort', 'nodePort']) {
      if (Number.isInteger(p[f]) && (p[f] < (f === 'targetPort' ? 1 : f === 'nodePort' ? 0 : 1) || p[f] > 65535)) errors.push(`spec.ports[${i}].${f}: must be 1-65535`);
    }
    if (typeof p.targetPort === 'string' && !isPortName(p.targetPort)) errors.push(`spec.ports[${i}].targetPort: "${p.targetPort}" is neither a number nor an IANA_SVC_NAME`);
  });
}

/** All API-server rule violations of one object (empty when it would be accepted). */
export function apiServerRuleErrors(obj) {
  const errors = [];
  checkName(obj, errors);
  const md = asObject(obj.metadata);
  checkLabels(md.labels, 'metadata.labels', errors);
  for (const k of Object.keys(asObject(md.annotations))) {
    const p = qualifiedNameProblem(k);
    if (p) errors.push(`metadata.annotations: invalid key "${k}": ${p}`);
  }
  checkSelector(obj, errors);
  checkContainers(obj, errors);
  checkServicePorts(obj, errors);
  return errors;
}
