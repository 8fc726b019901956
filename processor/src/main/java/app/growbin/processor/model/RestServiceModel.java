package app.growbin.processor.model;

import app.growbin.contract.Endpoints;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.WorkloadKind;
import java.util.List;

/** A {@code @RestService}: its contract and its settings in one environment. */
public record RestServiceModel(
        String name,
        String sourceClass,
        String path,
        int port,
        List<EnvVar> declaredEnv,
        List<SecretEnvVar> secretEnv,
        SettingValues settings)
        implements Workload {

    public RestServiceModel {
        declaredEnv = List.copyOf(declaredEnv);
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
