package app.growbin.processor.model;

/**
 * Opt-in network isolation: REST pods accept their http port only from the ingress controller's
 * namespace and the monitoring namespace; workers accept only their metrics port from monitoring.
 */
public record NetworkPolicySpec(boolean enabled, String ingressNamespace, String monitoringNamespace) {}
