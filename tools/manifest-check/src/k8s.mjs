// Small helpers about Kubernetes objects shared by the checks.
import { isObject } from './load.mjs';

export const asObject = (v) => (isObject(v) ? v : {});
export const asArray = (v) => (Array.isArray(v) ? v : []);

export const nameOf = (o) => asObject(o.metadata).name;
export const namespaceOf = (o) => asObject(o.metadata).namespace || '';
export const labelsOf = (o) => asObject(asObject(o.metadata).labels);
export const annotationsOf = (o) => asObject(asObject(o.metadata).annotations);
/** Objects without a namespace are applied to "the" namespace: they match any. */
export const sameNamespace = (a, b) => !namespaceOf(a) || !namespaceOf(b) || namespaceOf(a) === namespaceOf(b);

/** Kinds with spec.template (a pod template) and spec.selector. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** { spec, labels, where } of the pod an object runs, or null. */
export function podOf(obj) {
  const spec = asObject(obj.spec);
  if (obj.kind === 'Pod') return { spec, labels: labelsOf(obj), where: 'spec' };
  if (obj.kind === 'CronJob') {
    const t = asObject(asObject(asObject(spec.jobTemplate).spec).template);
    return { spec: asObject(t.spec), labels: labelsOf(t), where: 'spec.jobTemplate.spec.template.spec' };
  }
  if (WORKLOAD_KINDS.has(obj.kind) || obj.kind === 'Job' || obj.kind === 'ReplicationController') {
    const t = asObject(spec.template);
    return { spec: asObject(t.spec), labels: labelsOf(t), where: 'spec.template.spec' };
  }
  return null;
}

/** [{ container, init, field, index }] of a pod spec. */
export function containersOf(podSpec, { init = true } = {}) {
  const out = [];
  for (const field of init ? ['initContainers', 'containers'] : ['containers']) {
    asArray(podSpec[field]).forEach((c, index) => {
      if (isObject(c)) out.push({ container: c, init: field === 'initContainers', field, index });
    });
  }
  return out;
}

/** metav1.LabelSelector semantics (matchLabels AND matchExpressions). An empty selector matches nothing here. */
export function labelSelectorMatches(selector, labels) {
  if (!isObject(selector)) return false;
  labels = asObject(labels);
  const ml = asObject(selector.matchLabels);
  const exprs = asArray(selector.matchExpressions);
  if (!Object.keys(ml).length && !exprs.length) return false;
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  for (const e of exprs) {
    if (!isObject(e)) return false;
    const has = Object.hasOwn(labels, e.key);
    const values = asArray(e.values).map(String);
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Service-style selector (a plain map): every entry must match. Empty matches nothing. */
export function mapSelectorMatches(selector, labels) {
  const sel = asObject(selector);
  labels = asObject(labels);
  const keys = Object.keys(sel);
  return keys.length > 0 && keys.every((k) => labels[k] === String(sel[k]));
}
