/**
 * What the generated manifests promise and the runtime keeps: the launcher's command line, the
 * environment variables, the ports and probe paths, and the metrics the alert rules select. The
 * processor writes these names into the manifests and the runtime reads or exposes them, both from
 * the constants here, so that renaming one breaks the compile instead of a cluster.
 */
package app.growbin.contract;
