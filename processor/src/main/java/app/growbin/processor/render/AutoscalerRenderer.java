package app.growbin.processor.render;

import app.growbin.processor.model.AutoscalingSpec;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.Workload;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;

/** An {@code autoscaling/v2} HPA on CPU utilization; it owns the Deployment's replica count. */
final class AutoscalerRenderer {

    HorizontalPodAutoscaler render(EnvironmentModel environment, Workload workload, AutoscalingSpec autoscaling) {
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                    .withName(environment.objectName(workload))
                    .withLabels(Labels.of(environment, workload))
                .endMetadata()
                .withNewSpec()
                    .withNewScaleTargetRef()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(environment.objectName(workload))
                    .endScaleTargetRef()
                    .withMinReplicas(autoscaling.minReplicas())
                    .withMaxReplicas(autoscaling.maxReplicas())
                    .addNewMetric()
                        .withType("Resource")
                        .withNewResource()
                            .withName("cpu")
                            .withNewTarget().withType("Utilization").withAverageUtilization(autoscaling.targetCpuUtilization()).endTarget()
                        .endResource()
                    .endMetric()
                .endSpec()
                .build();
    }
}
