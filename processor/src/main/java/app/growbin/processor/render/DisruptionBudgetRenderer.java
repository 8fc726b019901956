package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.Workload;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** A PDB that lets one pod go at a time, so a drain never takes the whole service and never blocks forever. */
final class DisruptionBudgetRenderer {

    PodDisruptionBudget render(EnvironmentModel environment, Workload workload) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                    .withName(environment.objectName(workload))
                    .withLabels(Labels.of(environment, workload))
                .endMetadata()
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(Labels.selector(environment, workload)).endSelector()
                .endSpec()
                .build();
    }
}
