/**
 * The annotations that describe a Growbin application: {@link app.growbin.annotations.RestService}
 * for synchronous REST APIs and {@link app.growbin.annotations.AsyncWorker} for Celery-style queue
 * workers, plus the modifiers that apply to both ({@link app.growbin.annotations.Resources},
 * {@link app.growbin.annotations.NodeSelector}, {@link app.growbin.annotations.Autoscaling},
 * {@link app.growbin.annotations.Env}, {@link app.growbin.annotations.SecretEnv}).
 *
 * <p>The growbin-processor reads them at compile time and writes the Kubernetes manifests. The code
 * owns the contract (name, path, port, queue, pool, task names); the {@code values*.yaml} files may
 * override the operational members (enabled, replicas, resources, node selectors, autoscaling,
 * concurrency). Every member's Javadoc names its unit, its default and the manifest field it becomes.
 */
package app.growbin.annotations;
