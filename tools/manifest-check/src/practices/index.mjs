// Lookups across all objects of a manifest set, used by the cross-object checks.
import { isObject } from '../load.mjs';
import { asObject, nameOf, podOf, sameNamespace } from '../k8s.mjs';

export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet']);
export const POD_CONTROLLER_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export class ManifestIndex {
  constructor(objects) {
    this.objects = objects.filter((o) => isObject(o) && typeof o.kind === 'string');
  }

  ofKind(...kinds) {
    return this.objects.filter((o) => kinds.includes(o.kind));
  }

  /** Deployments, StatefulSets and DaemonSets (objects that run long-lived pods). */
  get workloads() {
    return this.ofKind(...POD_CONTROLLER_KINDS);
  }

  find(kind, name, near) {
    return this.objects.find((o) => o.kind === kind && nameOf(o) === name && sameNamespace(o, near));
  }

  /** HPAs and KEDA ScaledObjects that scale `workload`: [{ scaler, min, max }]. */
  autoscalersOf(workload) {
    const out = [];
    for (const s of this.ofKind('HorizontalPodAutoscaler', 'ScaledObject')) {
      const spec = asObject(s.spec);
      const ref = asObject(spec.scaleTargetRef);
      const kind = ref.kind || (s.kind === 'ScaledObject' ? 'Deployment' : undefined);
      if (kind !== workload.kind || ref.name !== nameOf(workload) || !sameNamespace(s, workload)) continue;
      if (s.kind === 'HorizontalPodAutoscaler') out.push({ scaler: s, min: spec.minReplicas ?? 1, max: spec.maxReplicas });
      else out.push({ scaler: s, min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100 });
    }
    return out;
  }

  /** The smallest number of pods `workload` runs (replicas, or the autoscaler minimum). */
  minimumPods(workload) {
    const scalers = this.autoscalersOf(workload);
    if (scalers.length) return Math.max(...scalers.map((s) => (Number.isInteger(s.min) ? s.min : 1)));
    const r = asObject(workload.spec).replicas;
    return Number.isInteger(r) ? r : 1;
  }

  podLabels(workload) {
    return podOf(workload)?.labels ?? {};
  }
}
