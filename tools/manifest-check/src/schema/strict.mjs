// Strict validation: fields that the schema does not define are errors, as
// with `kubectl apply --validate=strict`.
//
// The compiled validators in kubernetes-models do not reject unknown fields
// (their schemas have no additionalProperties: false). So the object is
// handed to the validator through proxies that record which property names
// the validator reads on each nested object. A property the validator never
// read is not in the schema. Objects the validator enumerates (maps such as
// labels, or additionalProperties schemas) and objects it never looks into
// (free-form, x-kubernetes-preserve-unknown-fields) are not judged.

/**
 * Run `validate(proxy)` on a tracked view of `root`.
 * Returns the list of unknown field paths (e.g. "spec.replica").
 */
export function unknownFieldsSeenBy(root, validate) {
  const seen = new Map(); // target object -> { path, read: Set, enumerated }
  const proxies = new WeakMap();

  const track = (value, where) => {
    if (value === null || typeof value !== 'object') return value;
    if (proxies.has(value)) return proxies.get(value);
    const rec = { path: where, read: new Set(), enumerated: false, array: Array.isArray(value) };
    seen.set(value, rec);
    const childPath = (k) => (rec.array ? `${where}[${k}]` : where ? `${where}.${k}` : k);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return v;
        rec.read.add(key);
        return Object.hasOwn(target, key) ? track(v, childPath(key)) : v;
      },
      has(target, key) {
        if (typeof key === 'string') rec.read.add(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === 'string') rec.read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        rec.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  validate(track(root, ''));

  const unknown = [];
  for (const [target, rec] of seen) {
    if (rec.array || rec.enumerated || rec.read.size === 0) continue;
    for (const key of Object.keys(target)) {
      if (!rec.read.has(key)) unknown.push(rec.path ? `${rec.path}.${key}` : key);
    }
  }
  return unknown;
}

// The kubernetes-models generator drops schema properties named
// `description` and `x-kubernetes-*` (it treats them as documentation), so
// the validator never reads them even where they are real fields. These are
// the places where they are real fields: [kind, regex over the field path].
const DOC_NAMED_FIELDS = [
  ['PriorityClass', /^description$/],
  // JSON schema of a CRD version: description / x-kubernetes-* at any depth
  ['CustomResourceDefinition', /^spec\.(versions\[\d+\]\.schema|validation)\.openAPIV3Schema(\..*)?\.(description|x-kubernetes-[a-z-]+)$/],
  ['CustomResourceDefinition', /^spec\.(versions\[\d+\]\.)?additionalPrinterColumns\[\d+\]\.description$/],
  ['AppProject', /^spec\.(description|roles\[\d+\]\.description|syncWindows\[\d+\]\.description)$/],
  ['AlertmanagerConfig', /\.(pagerdutyConfigs|opsgenieConfigs)\[\d+\]\.description$/],
];

/** Drop the unknown-field findings that are real fields hidden by the generator. */
export function withoutDocNamedFields(kind, fields) {
  return fields.filter((f) => {
    const last = f.slice(f.lastIndexOf('.') + 1);
    if (last !== 'description' && !last.startsWith('x-kubernetes-')) return true;
    return !DOC_NAMED_FIELDS.some(([k, re]) => k === kind && re.test(f));
  });
}
