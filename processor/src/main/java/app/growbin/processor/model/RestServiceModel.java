package app.growbin.processor.model;

import app.growbin.contract.Endpoints;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/** One enabled REST service in one environment, every value final. */
public record RestServiceModel(
        String name,
        String sourceClass,
        String path,
        int port,
        int replicas,
        ResourceSpec resources,
        SortedMap<String, String> nodeSelector,
        Optional<AutoscalingSpec> autoscaling,
        List<EnvVar> env,
        List<SecretEnvVar> secretEnv,
        PodSecurity security)
        implements Workload {

    public RestServiceModel {
        nodeSelector = Workload.sorted(nodeSelector);
        env = List.copyOf(env);
        secretEnv = List.copyOf(secretEnv);
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.REST;
    }

    @Override
    public int probePort() {
        return port;
    }

    @Override
    public String probePortName() {
        return Endpoints.HTTP_PORT_NAME;
    }
}
