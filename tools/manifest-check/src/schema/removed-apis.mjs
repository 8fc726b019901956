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
