// Custom resources whose schema no npm package of @kubernetes-models holds.
// Each is a JSON Schema file under ./crds/ (its $comment says where it comes
// from), compiled once with ajv, with the object's metadata checked by
// kubernetes-models' ObjectMeta as for every other kind. The result looks like
// a kubernetes-models class (prototype.validate throws an error carrying ajv
// `errors`), so that `validate` treats both alike. A field the schema does not
// define is reported as "<path>.<field>: unknown field", as strict mode does.
import fs from 'node:fs';
import Ajv from 'ajv';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/** "apiVersion kind" -> schema file under ./crds/ */
export const LOCAL_SCHEMAS = {
  'autoscaling.k8s.io/v1 VerticalPodAutoscaler': 'verticalpodautoscaler-v1.schema.json',
};

const ajv = new Ajv({ allErrors: true, strict: false });

/** The group of a local schema, so that models.mjs knows the API group. */
export const LOCAL_GROUPS = new Set(Object.keys(LOCAL_SCHEMAS).map((k) => k.split(' ')[0].split('/')[0]));

/** The model of a local schema, or null when there is none for apiVersion/kind. */
export function localModel(apiVersion, kind) {
  const file = LOCAL_SCHEMAS[`${apiVersion} ${kind}`];
  if (!file) return null;
  const schema = JSON.parse(fs.readFileSync(new URL(`./crds/${file}`, import.meta.url), 'utf8'));
  const check = ajv.compile(schema);
  class LocalModel {}
  LocalModel.apiVersion = apiVersion;
  LocalModel.kind = kind;
  LocalModel.prototype.validate = function validate() {
    const errors = [];
    if (!check(this)) {
      for (const e of check.errors) {
        if (e.keyword === 'additionalProperties') {
          errors.push({ instancePath: `${e.instancePath}/${e.params.additionalProperty}`, keyword: 'unknown', message: 'unknown field' });
        } else errors.push(e);
      }
    }
    if (this.metadata && typeof this.metadata === 'object') {
      try {
        ObjectMeta.prototype.validate.call(this.metadata);
      } catch (e) {
        for (const m of e.errors || []) errors.push({ ...m, instancePath: `/metadata${m.instancePath}` });
      }
    }
    if (errors.length) throw Object.assign(new Error(`${kind} is not valid`), { errors });
  };
  return LocalModel;
}
