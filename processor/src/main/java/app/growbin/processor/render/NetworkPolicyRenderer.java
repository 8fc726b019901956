package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opt-in isolation: REST pods take their http port only from the ingress controller's and the
 * monitoring namespaces; worker pods take only their metrics port from monitoring. Every other
 * inbound connection is denied (the policies select the pods and list no other source).
 */
final class NetworkPolicyRenderer {

    static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    NetworkPolicy render(EnvironmentModel environment, WorkloadKind kind) {
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        String monitoring = environment.networkPolicy().monitoringNamespace();
        if (kind == WorkloadKind.REST) {
            rules.add(fromNamespaces("http", environment.networkPolicy().ingressNamespace(), monitoring));
        } else {
            rules.add(fromNamespaces("metrics", monitoring));
        }
        Map<String, String> selector = new TreeMap<>();
        selector.put(Labels.COMPONENT, kind.component());
        selector.put(Labels.PART_OF, environment.appName());
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                    .withName(environment.appName() + "-" + kind.component())
                    .withLabels(Labels.shared(environment, "network-policy"))
                .endMetadata()
                .withNewSpec()
                    .withNewPodSelector().withMatchLabels(selector).endPodSelector()
                    .withPolicyTypes("Ingress")
                    .withIngress(rules)
                .endSpec()
                .build();
    }

    private static NetworkPolicyIngressRule fromNamespaces(String port, String... namespaces) {
        NetworkPolicyIngressRuleBuilder rule = new NetworkPolicyIngressRuleBuilder();
        for (String namespace : java.util.Arrays.stream(namespaces).distinct().sorted().toList()) {
            rule.addNewFrom().withNewNamespaceSelector().addToMatchLabels(NAMESPACE_NAME, namespace).endNamespaceSelector().endFrom();
        }
        rule.addNewPort().withPort(new IntOrString(port)).withProtocol("TCP").endPort();
        return rule.build();
    }
}
