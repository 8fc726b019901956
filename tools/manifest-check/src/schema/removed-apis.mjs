// apiVersions that Kubernetes no longer serves. kubernetes-models still ships
// their schemas, so without this table they would validate fine.
// Source: https://kubernetes.io/docs/reference/using-api/deprecation-guide/

// [apiVersion, kinds ('*' = all), removed in 1.x, use instead]
const REMOVED = [
  ['extensions/v1beta1', '*', 22, 'apps/v1 or networking.k8s.io/v1'],
  ['apps/v1beta1', '*', 16, 'apps/v1'],
  ['apps/v1beta2', '*', 16, 'apps/v1'],
  ['admissionregistration.k8s.io/v1beta1', '*', 22, 'admissionregistration.k8s.io/v1'],
  ['apiextensions.k8s.io/v1beta1', '*', 22, 'apiextensions.k8s.io/v1'],
  ['apiregistration.k8s.io/v1beta1', '*', 22, 'apiregistration.k8s.io/v1'],
  ['authentication.k8s.io/v1beta1', ['TokenReview'], 22, 'authentication.k8s.io/v1'],
  ['authorization.k8s.io/v1beta1', '*', 22, 'authorization.k8s.io/v1'],
  ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 22, 'certificates.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', ['Lease'], 22, 'coordination.k8s.io/v1'],
  ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], 22, 'networking.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1beta1', '*', 22, 'rbac.authorization.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1alpha1', '*', 22, 'rbac.authorization.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', ['PriorityClass'], 22, 'scheduling.k8s.io/v1'],
  ['scheduling.k8s.io/v1alpha1', ['PriorityClass'], 22, 'scheduling.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 22, 'storage.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 27, 'storage.k8s.io/v1'],
  ['batch/v1beta1', ['CronJob'], 25, 'batch/v1'],
  ['discovery.k8s.io/v1beta1', ['EndpointSlice'], 25, 'discovery.k8s.io/v1'],
  ['events.k8s.io/v1beta1', ['Event'], 25, 'events.k8s.io/v1'],
  ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 25, 'autoscaling/v2'],
  ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 26, 'autoscaling/v2'],
  ['policy/v1beta1', ['PodDisruptionBudget', 'PodSecurityPolicy'], 25, 'policy/v1 (PodSecurityPolicy: Pod Security Admission)'],
  ['node.k8s.io/v1beta1', ['RuntimeClass'], 25, 'node.k8s.io/v1'],
  ['flowcontrol.apiserver.k8s.io/v1beta1', '*', 26, 'flowcontrol.apiserver.k8s.io/v1'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', '*', 29, 'flowcontrol.apiserver.k8s.io/v1'],
  ['flowcontrol.apiserver.k8s.io/v1beta3', '*', 32, 'flowcontrol.apiserver.k8s.io/v1'],
];

/** The reason apiVersion/kind is not served by Kubernetes 1.<minor>, or null. */
export function removedApi(apiVersion, kind, minor) {
  for (const [version, kinds, removedIn, instead] of REMOVED) {
    if (version !== apiVersion || removedIn > minor) continue;
    if (kinds !== '*' && !kinds.includes(kind)) continue;
    return `${apiVersion} ${kind} was removed in Kubernetes 1.${removedIn}; use ${instead}`;
  }
  return null;
}

// Kinds that Kubernetes deprecated while their apiVersion stays served
// (the API server answers with a deprecation warning). Deprecated pre-release
// versions need no entry: a beta apiVersion of a kind that the same release
// also serves as GA is deprecated (see deprecatedApi below).
// Source: https://kubernetes.io/docs/reference/using-api/deprecation-guide/ and
// the release notes of 1.19 (ComponentStatus) and 1.33 (Endpoints, KEP-4974).
// [apiVersion, kind, deprecated in 1.x, use instead]
const DEPRECATED_KINDS = [
  ['v1', 'ComponentStatus', 19, 'the API server health endpoints (/livez, /readyz)'],
  ['v1', 'Endpoints', 33, 'discovery.k8s.io/v1 EndpointSlice'],
];

/**
 * Why apiVersion/kind is deprecated in a release, or null. `gaVersions` are
 * the GA apiVersions (v1, v2, ...) that release serves for the same group and kind.
 */
export function deprecatedApi(apiVersion, kind, minor, gaVersions = []) {
  for (const [version, k, deprecatedIn, instead] of DEPRECATED_KINDS) {
    if (version === apiVersion && k === kind && deprecatedIn <= minor) return `${apiVersion} ${kind} is deprecated since Kubernetes 1.${deprecatedIn}; use ${instead}`;
  }
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  if (/(alpha|beta)\d+$/.test(version) && gaVersions.length) {
    return `${apiVersion} ${kind} is a pre-release version, deprecated once the same release serves ${gaVersions.join(', ')}; use ${gaVersions.at(-1)}`;
  }
  return null;
}
