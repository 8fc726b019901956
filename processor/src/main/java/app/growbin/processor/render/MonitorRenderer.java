package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.WorkloadKind;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitorBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scrape targets for the Prometheus Operator: a ServiceMonitor over the REST Services' {@code http}
 * port, a PodMonitor over the workers' {@code metrics} port (workers have no Service).
 */
final class MonitorRenderer {

    ServiceMonitor restMonitor(EnvironmentModel environment) {
        return new ServiceMonitorBuilder()
                .withNewMetadata()
                    .withName(environment.appName() + "-" + WorkloadKind.REST.component())
                    .withLabels(Labels.shared(environment, "monitoring"))
                .endMetadata()
                .withNewSpec()
                    .withNewSelector().withMatchLabels(componentSelector(environment, WorkloadKind.REST)).endSelector()
                    .addNewEndpoint()
                        .withPort("http")
                        .withPath(WorkloadRuntime.METRICS_PATH)
                        .withInterval(environment.monitoring().interval())
                        .withScrapeTimeout(environment.monitoring().scrapeTimeout())
                    .endEndpoint()
                .endSpec()
                .build();
    }

    PodMonitor workerMonitor(EnvironmentModel environment) {
        return new PodMonitorBuilder()
                .withNewMetadata()
                    .withName(environment.appName() + "-" + WorkloadKind.ASYNC.component())
                    .withLabels(Labels.shared(environment, "monitoring"))
                .endMetadata()
                .withNewSpec()
                    .withNewSelector().withMatchLabels(componentSelector(environment, WorkloadKind.ASYNC)).endSelector()
                    .addNewPodMetricsEndpoint()
                        .withPort("metrics")
                        .withPath(WorkloadRuntime.METRICS_PATH)
                        .withInterval(environment.monitoring().interval())
                        .withScrapeTimeout(environment.monitoring().scrapeTimeout())
                    .endPodMetricsEndpoint()
                .endSpec()
                .build();
    }

    private static Map<String, String> componentSelector(EnvironmentModel environment, WorkloadKind kind) {
        Map<String, String> selector = new TreeMap<>();
        selector.put(Labels.COMPONENT, kind.component());
        selector.put(Labels.PART_OF, environment.appName());
        return selector;
    }
}
