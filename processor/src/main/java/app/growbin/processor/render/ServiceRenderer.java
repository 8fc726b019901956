package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.RestServiceModel;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * A REST service's Service. Its type follows the ingress: an AWS ALB in {@code instance} mode
 * reaches pods through node ports, every other ingress through a ClusterIP. Behind an ALB the
 * target group's health check uses the readiness path.
 */
final class ServiceRenderer {

    static final String ALB_HEALTHCHECK_PATH = "alb.ingress.kubernetes.io/healthcheck-path";
    static final String ALB_HEALTHCHECK_PORT = "alb.ingress.kubernetes.io/healthcheck-port";

    Service render(EnvironmentModel environment, RestServiceModel service) {
        Map<String, String> annotations = new TreeMap<>();
        if (environment.ingress().enabled() && environment.ingress().isAlb()) {
            annotations.put(ALB_HEALTHCHECK_PATH, WorkloadRuntime.READY_PATH);
            annotations.put(ALB_HEALTHCHECK_PORT, "traffic-port");
        }
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(environment.objectName(service))
                    .withLabels(Labels.of(environment, service))
                    .withAnnotations(annotations.isEmpty() ? null : annotations)
                .endMetadata()
                .withNewSpec()
                    .withType(environment.ingress().needsNodePorts() ? "NodePort" : "ClusterIP")
                    .withSelector(Labels.selector(environment, service))
                    .addNewPort()
                        .withName("http")
                        .withPort(service.port())
                        .withTargetPort(new IntOrString("http"))
                        .withProtocol("TCP")
                    .endPort()
                .endSpec()
                .build();
    }
}
