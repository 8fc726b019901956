// The best-practice checks. Each check has an id (used by --skip and in
// messages), the kinds it applies to, and a function returning the list of
// problems of one object (empty: passed). `ix` is the ManifestIndex of every
// object checked together, for the checks that follow references.
import { isObject, objectId } from '../load.mjs';
import {
  asArray, asObject, containersOf, labelSelectorMatches, labelsOf, mapSelectorMatches, podOf, sameNamespace,
} from '../k8s.mjs';
import { POD_CONTROLLER_KINDS, SCALABLE_KINDS } from './index.mjs';

const WORKLOADS = [...POD_CONTROLLER_KINDS];
const cname = ({ container, init }) => `${init ? 'initContainer' : 'container'} "${container.name ?? '?'}"`;

/** Problems for every container that fails `ok(container, podSpec)`. */
function perContainer(obj, ok, message, { init = true } = {}) {
  const pod = podOf(obj);
  const list = containersOf(pod.spec, { init });
  if (!list.length) return ['pod template has no containers'];
  return list.filter((c) => !ok(c.container, pod.spec)).map((c) => `${cname(c)}: ${message}`);
}

const securityContext = (c) => asObject(c.securityContext);
const podSecurityContext = (ps) => asObject(ps.securityContext);

// ---- images ------------------------------------------------------------------
function parseImage(image) {
  if (typeof image !== 'string' || !image.trim()) return null;
  const at = image.indexOf('@');
  if (at >= 0) return { digest: image.slice(at + 1) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return { tag: colon > slash ? image.slice(colon + 1) : null };
}

// ---- credentials in env --------------------------------------------------------
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PWD$|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|TOKEN|CREDENTIAL|AUTH_?KEY|SIGNING_?KEY)/i;
// names that describe where a credential is, not the credential itself
const REFERENCE_NAME = /(_FILE|_PATH|_DIR|_NAME|_REF|_KEY_ID|_ID|_URL|_URI|_HOST|_PORT|_TTL|_HEADER|_ENABLED|_SECRET_NAME)$/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i;
const ONLY_VAR_REFS = /^(\$\([A-Za-z_][A-Za-z0-9_]*\))+$/;

function literalCredential(env) {
  if (!isObject(env) || typeof env.value !== 'string' || env.value === '') return null;
  const name = String(env.name ?? '');
  const url = URL_WITH_PASSWORD.exec(env.value);
  if (url && !ONLY_VAR_REFS.test(url[1])) return `${name} is a URL with a password in it`;
  if (CREDENTIAL_NAME.test(name.replace(/-/g, '_')) && !REFERENCE_NAME.test(name) && !ONLY_VAR_REFS.test(env.value)) {
    return `${name} has a literal value; use valueFrom.secretKeyRef`;
  }
  return null;
}

export const RECOMMENDED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];

export const CHECKS = [
  // ---- containers of Deployments / StatefulSets / DaemonSets ----
  {
    id: 'resource-requests',
    description: 'every container requests cpu and memory',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => ['cpu', 'memory'].every((r) => asObject(asObject(c.resources).requests)[r] != null), 'resources.requests.cpu/memory missing'),
  },
  {
    id: 'resource-limits',
    description: 'every container has cpu and memory limits',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => ['cpu', 'memory'].every((r) => asObject(asObject(c.resources).limits)[r] != null), 'resources.limits.cpu/memory missing'),
  },
  {
    id: 'liveness-probe',
    description: 'every (non-init) container has a livenessProbe',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => isObject(c.livenessProbe), 'no livenessProbe', { init: false }),
  },
  {
    id: 'readiness-probe',
    description: 'every (non-init) container has a readinessProbe',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => isObject(c.readinessProbe), 'no readinessProbe', { init: false }),
  },
  {
    id: 'image-tag',
    description: 'images are pinned: a tag other than "latest", or a digest',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => {
      const img = parseImage(c.image);
      return img && (img.digest || (img.tag && img.tag !== 'latest'));
    }, 'image is missing, untagged or ":latest"'),
  },
  {
    id: 'image-pull-policy',
    description: 'imagePullPolicy is not Never, nor IfNotPresent with a mutable (latest/untagged) image',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => {
      if (c.imagePullPolicy === 'Never') return false;
      const img = parseImage(c.image);
      const mutable = !img || (!img.digest && (!img.tag || img.tag === 'latest'));
      return !(c.imagePullPolicy === 'IfNotPresent' && mutable);
    }, 'imagePullPolicy Never, or IfNotPresent with a mutable image (nodes keep stale images)'),
  },
  {
    id: 'run-as-non-root',
    description: 'runAsNonRoot: true (pod or container) and runAsUser is not 0',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c, ps) => {
      const nonRoot = securityContext(c).runAsNonRoot ?? podSecurityContext(ps).runAsNonRoot;
      const uid = securityContext(c).runAsUser ?? podSecurityContext(ps).runAsUser;
      return nonRoot === true && uid !== 0;
    }, 'runAsNonRoot is not true (or runAsUser is 0)'),
  },
  {
    id: 'no-privilege-escalation',
    description: 'securityContext.allowPrivilegeEscalation: false',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => securityContext(c).allowPrivilegeEscalation === false, 'allowPrivilegeEscalation is not false'),
  },
  {
    id: 'read-only-root-fs',
    description: 'securityContext.readOnlyRootFilesystem: true',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => securityContext(c).readOnlyRootFilesystem === true, 'readOnlyRootFilesystem is not true'),
  },
  {
    id: 'drop-all-capabilities',
    description: 'securityContext.capabilities.drop contains ALL',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c) => asArray(asObject(securityContext(c).capabilities).drop).some((d) => String(d).toUpperCase() === 'ALL'), 'capabilities.drop does not contain ALL'),
  },
  {
    id: 'seccomp-runtime-default',
    description: 'seccompProfile.type RuntimeDefault (or Localhost), pod or container level',
    kinds: WORKLOADS,
    run: (o) => perContainer(o, (c, ps) => {
      const type = asObject(securityContext(c).seccompProfile).type ?? asObject(podSecurityContext(ps).seccompProfile).type;
      return type === 'RuntimeDefault' || type === 'Localhost';
    }, 'seccompProfile is not RuntimeDefault'),
  },
  {
    id: 'not-privileged',
    description: 'no privileged container, no host network/PID/IPC',
    kinds: WORKLOADS,
    run: (o) => [
      ...perContainer(o, (c) => securityContext(c).privileged !== true, 'privileged: true'),
      ...['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => podOf(o).spec[f] === true).map((f) => `${f}: true`),
    ],
  },
  {
    id: 'no-service-account-token',
    description: 'automountServiceAccountToken: false (pod, or its ServiceAccount in the same manifests)',
    kinds: WORKLOADS,
    run: (o, ix) => {
      const ps = podOf(o).spec;
      let automount = ps.automountServiceAccountToken;
      if (automount === undefined) {
        const sa = ix.find('ServiceAccount', ps.serviceAccountName || 'default', o);
        automount = sa?.automountServiceAccountToken;
      }
      return automount === false ? [] : ['the service-account token is mounted (set automountServiceAccountToken: false)'];
    },
  },
  {
    id: 'no-literal-credentials',
    description: 'no credential written literally in env (credential-like names, URLs with user:password@)',
    kinds: WORKLOADS,
    run: (o) => containersOf(podOf(o).spec).flatMap((c) => asArray(c.container.env).map(literalCredential).filter(Boolean).map((m) => `${cname(c)}: ${m}`)),
  },
  {
    id: 'pdb',
    description: 'a PodDisruptionBudget selects the pods when replicas (or the autoscaler minimum) > 1',
    kinds: [...SCALABLE_KINDS],
    run: (o, ix) => {
      const min = ix.minimumPods(o);
      if (min <= 1) return [];
      const labels = ix.podLabels(o);
      const covered = ix.ofKind('PodDisruptionBudget').some((p) => sameNamespace(p, o) && labelSelectorMatches(asObject(p.spec).selector, labels));
      return covered ? [] : [`runs ${min} pods but no PodDisruptionBudget selects them`];
    },
  },
  {
    id: 'topology-spread',
    description: 'topologySpreadConstraints or podAntiAffinity over its own pods when it runs > 1 pod',
    kinds: [...SCALABLE_KINDS],
    run: (o, ix) => {
      if (ix.minimumPods(o) <= 1) return [];
      const { spec, labels } = podOf(o);
      const anti = asObject(asObject(spec.affinity).podAntiAffinity);
      const terms = [
        ...asArray(spec.topologySpreadConstraints),
        ...asArray(anti.requiredDuringSchedulingIgnoredDuringExecution),
        ...asArray(anti.preferredDuringSchedulingIgnoredDuringExecution).map((p) => asObject(p).podAffinityTerm),
      ];
      return terms.some((t) => isObject(t) && labelSelectorMatches(t.labelSelector, labels))
        ? [] : ['runs more than one pod but has no topologySpreadConstraints/podAntiAffinity selecting its own pods'];
    },
  },
  {
    id: 'no-replicas-with-autoscaler',
    description: 'spec.replicas is not set when an HPA or ScaledObject scales the workload',
    kinds: [...SCALABLE_KINDS],
    run: (o, ix) => {
      const scalers = ix.autoscalersOf(o);
      return scalers.length && asObject(o.spec).replicas !== undefined
        ? [`spec.replicas is set although ${scalers.map((s) => objectId(s.scaler)).join(', ')} scales it (every apply would reset the scale)`]
        : [];
    },
  },
  // ---- labels ----
  {
    id: 'recommended-labels',
    description: `labels ${RECOMMENDED_LABELS.join(', ')} are set`,
    kinds: [...WORKLOADS, 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ScaledObject', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'ConfigMap'],
    run: (o) => {
      const missing = RECOMMENDED_LABELS.filter((l) => !labelsOf(o)[l]);
      return missing.length ? [`missing labels ${missing.join(', ')}`] : [];
    },
  },
  // ---- Services ----
  {
    id: 'service-selector',
    description: 'a Service selects the pods of some workload, and its targetPorts exist on them',
    kinds: ['Service'],
    run: (s, ix) => {
      const spec = asObject(s.spec);
      if (spec.type === 'ExternalName') return [];
      if (!Object.keys(asObject(spec.selector)).length) return ['no selector (endpoints would have to be managed by hand)'];
      const selected = ix.workloads.filter((w) => sameNamespace(w, s) && mapSelectorMatches(spec.selector, ix.podLabels(w)));
      if (!selected.length) return [`selector ${JSON.stringify(spec.selector)} matches no pod template`];
      const problems = [];
      for (const p of asArray(spec.ports).filter(isObject)) {
        const target = p.targetPort ?? p.port;
        const found = selected.some((w) => {
          const ports = containersOf(podOf(w).spec, { init: false }).flatMap((c) => asArray(c.container.ports)).filter(isObject);
          return typeof target === 'string' ? ports.some((cp) => cp.name === target) : ports.some((cp) => cp.containerPort === target);
        });
        if (!found) problems.push(`port ${p.name ?? p.port}: targetPort ${JSON.stringify(target)} is not a container port of ${selected.map(objectId).join(', ')}`);
      }
      return problems;
    },
  },
  // ---- Ingresses ----
  {
    id: 'ingress-backend',
    description: 'every Ingress backend names an existing Service and one of its ports',
    kinds: ['Ingress'],
    run: (ing, ix) => {
      const spec = asObject(ing.spec);
      const backends = [];
      if (isObject(spec.defaultBackend)) backends.push(['defaultBackend', spec.defaultBackend]);
      asArray(spec.rules).forEach((r, i) => asArray(asObject(asObject(r).http).paths).forEach((p, j) => {
        if (isObject(asObject(p).backend)) backends.push([`rules[${i}].http.paths[${j}]`, p.backend]);
      }));
      if (!backends.length) return ['no backends'];
      const problems = [];
      for (const [where, b] of backends) {
        if (isObject(b.resource)) continue;
        const ref = asObject(b.service);
        const svc = ix.find('Service', ref.name, ing);
        if (!svc) { problems.push(`${where}: Service "${ref.name}" not found`); continue; }
        const port = asObject(ref.port);
        const ports = asArray(asObject(svc.spec).ports).filter(isObject);
        const ok = port.name !== undefined ? ports.some((p) => p.name === port.name) : ports.some((p) => p.port === port.number);
        if (!ok) problems.push(`${where}: Service "${ref.name}" has no port ${port.name ?? port.number}`);
      }
      return problems;
    },
  },
  {
    id: 'httproute-backend',
    description: 'every HTTPRoute backend (a Service of the same namespace) names an existing Service and one of its ports',
    kinds: ['HTTPRoute'],
    run: (route, ix) => {
      const problems = [];
      let backends = 0;
      asArray(asObject(route.spec).rules).forEach((r, i) => asArray(asObject(r).backendRefs).forEach((b, j) => {
        const ref = asObject(b);
        backends++;
        if ((ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '' || (ref.namespace && ref.namespace !== (asObject(route.metadata).namespace ?? ref.namespace))) return;
        const where = `rules[${i}].backendRefs[${j}]`;
        const svc = ix.find('Service', ref.name, route);
        if (!svc) { problems.push(`${where}: Service "${ref.name}" not found`); return; }
        if (!asArray(asObject(svc.spec).ports).filter(isObject).some((p) => p.port === ref.port)) {
          problems.push(`${where}: Service "${ref.name}" has no port ${ref.port}`);
        }
      }));
      if (!backends) problems.push('no backends');
      return problems;
    },
  },
  // ---- autoscalers ----
  {
    id: 'autoscaler-target',
    description: 'an HPA/ScaledObject targets an existing Deployment/StatefulSet and min <= max',
    kinds: ['HorizontalPodAutoscaler', 'ScaledObject'],
    run: (a, ix) => {
      const spec = asObject(a.spec);
      const ref = asObject(spec.scaleTargetRef);
      const kind = ref.kind || (a.kind === 'ScaledObject' ? 'Deployment' : '?');
      const problems = [];
      if (!SCALABLE_KINDS.has(kind) || !ix.find(kind, ref.name, a)) problems.push(`scaleTargetRef ${kind}/${ref.name} does not exist`);
      const [min, max] = a.kind === 'ScaledObject' ? [spec.minReplicaCount ?? 0, spec.maxReplicaCount ?? 100] : [spec.minReplicas ?? 1, spec.maxReplicas];
      if (!(Number.isInteger(min) && Number.isInteger(max) && min <= max)) problems.push(`min replicas ${min} > max replicas ${max}`);
      return problems;
    },
  },
  {
    id: 'hpa-requests',
    description: 'an HPA with a Utilization target scales pods that request that resource',
    kinds: ['HorizontalPodAutoscaler'],
    run: (h, ix) => {
      const spec = asObject(h.spec);
      const ref = asObject(spec.scaleTargetRef);
      const target = ix.find(ref.kind, ref.name, h);
      if (!target || !podOf(target)) return [];
      const needed = asArray(spec.metrics).filter((m) => isObject(m) && m.type === 'Resource' && asObject(asObject(m.resource).target).type === 'Utilization').map((m) => m.resource.name);
      const containers = containersOf(podOf(target).spec, { init: false });
      return needed.filter((r) => containers.some((c) => asObject(asObject(c.container.resources).requests)[r] == null))
        .map((r) => `Utilization target on ${r} but ${objectId(target)} does not request ${r} on every container`);
    },
  },
  // ---- PodDisruptionBudgets ----
  {
    id: 'pdb-selects-pods',
    description: 'a PodDisruptionBudget selects some pods and does not block every eviction',
    kinds: ['PodDisruptionBudget'],
    run: (p, ix) => {
      const spec = asObject(p.spec);
      const selected = ix.ofKind(...SCALABLE_KINDS).filter((w) => sameNamespace(w, p) && labelSelectorMatches(spec.selector, ix.podLabels(w)));
      if (!selected.length) return ['selector matches no Deployment/StatefulSet pod template'];
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.minAvailable === '100%') return ['allows no voluntary eviction (node drains would hang)'];
      const fewest = Math.min(...selected.map((w) => ix.minimumPods(w)));
      if (Number.isInteger(spec.minAvailable) && spec.minAvailable >= fewest) return [`minAvailable ${spec.minAvailable} >= ${fewest} pods: node drains would hang`];
      return [];
    },
  },
  // ---- Prometheus operator ----
  {
    id: 'servicemonitor-target',
    description: 'a ServiceMonitor selects a Service that has each endpoint port (by name)',
    kinds: ['ServiceMonitor'],
    run: (m, ix) => {
      const spec = asObject(m.spec);
      const services = ix.ofKind('Service').filter((s) => monitorNamespaceMatches(m, s) && labelSelectorMatches(spec.selector, labelsOf(s)));
      if (!services.length) return ['selector matches no Service'];
      return asArray(spec.endpoints).filter((e) => isObject(e) && e.port !== undefined)
        .filter((e) => !services.some((s) => asArray(asObject(s.spec).ports).some((p) => isObject(p) && p.name === e.port)))
        .map((e) => `endpoint port "${e.port}" is not a port name of ${services.map(objectId).join(', ')}`);
    },
  },
  {
    id: 'podmonitor-target',
    description: 'a PodMonitor selects pods that have each endpoint port (by container port name)',
    kinds: ['PodMonitor'],
    run: (m, ix) => {
      const spec = asObject(m.spec);
      const workloads = ix.workloads.filter((w) => monitorNamespaceMatches(m, w) && labelSelectorMatches(spec.selector, ix.podLabels(w)));
      if (!workloads.length) return ['selector matches no pod template'];
      const portNames = (w) => containersOf(podOf(w).spec).flatMap((c) => asArray(c.container.ports)).filter(isObject).map((p) => p.name);
      return asArray(spec.podMetricsEndpoints).filter((e) => isObject(e) && e.port !== undefined)
        .filter((e) => !workloads.some((w) => portNames(w).includes(e.port)))
        .map((e) => `endpoint port "${e.port}" is not a container port name of ${workloads.map(objectId).join(', ')}`);
    },
  },
];

function monitorNamespaceMatches(monitor, target) {
  const sel = asObject(asObject(monitor.spec).namespaceSelector);
  if (sel.any === true) return true;
  if (asArray(sel.matchNames).length) return sel.matchNames.includes(asObject(target.metadata).namespace);
  return sameNamespace(monitor, target);
}

export const CHECK_IDS = new Set(CHECKS.map((c) => c.id));
