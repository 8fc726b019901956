package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.IngressSpec;
import app.growbin.processor.model.RestServiceModel;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import java.util.Comparator;
import java.util.List;

/** The one Ingress of the application: a path per enabled REST service, to its Service's http port. */
final class IngressRenderer {

    Ingress render(EnvironmentModel environment) {
        IngressSpec ingress = environment.ingress();
        List<HTTPIngressPath> paths = environment.restServices().stream()
                .sorted(Comparator.comparing(RestServiceModel::path))
                .map(service -> new HTTPIngressPathBuilder()
                        .withPath(service.path())
                        .withPathType("Prefix")
                        .withNewBackend()
                            .withNewService()
                                .withName(environment.objectName(service))
                                .withNewPort().withName("http").endPort()
                            .endService()
                        .endBackend()
                        .build())
                .toList();
        IngressBuilder builder = new IngressBuilder()
                .withNewMetadata()
                    .withName(environment.appName() + "-api")
                    .withLabels(Labels.shared(environment, "ingress"))
                    .withAnnotations(ingress.annotations().isEmpty() ? null : ingress.annotations())
                .endMetadata()
                .withNewSpec()
                    .withIngressClassName(ingress.className().isEmpty() ? null : ingress.className())
                    .withRules(new IngressRuleBuilder()
                            .withHost(ingress.host().isEmpty() ? null : ingress.host())
                            .withNewHttp().withPaths(paths).endHttp()
                            .build())
                .endSpec();
        if (ingress.tls() && !ingress.host().isEmpty()) {
            builder.editSpec()
                    .addNewTl().withHosts(ingress.host()).withSecretName(ingress.tlsSecret().orElse(null)).endTl()
                    .endSpec();
        }
        return builder.build();
    }
}
