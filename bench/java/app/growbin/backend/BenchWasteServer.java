package app.growbin.backend;

import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.RestServiceDefinition;
import java.util.concurrent.CountDownLatch;

/**
 * Benchmark entry point: the sample app's {@link WasteApi}, started exactly as
 * {@code Launcher rest waste} starts it (same server, probes, metrics, task client), except that
 * the pipeline's queues carry a suffix ({@code BENCH_QUEUE_SUFFIX}), so a benchmark never fills
 * the real {@code q.preprocess}. Lives in the sample's package to reach that constructor.
 */
public final class BenchWasteServer {
    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        String suffix = env.get("BENCH_QUEUE_SUFFIX", ".bench");
        Launcher.Running running = Launcher.startRest(
                new RestServiceDefinition("waste", "/api/v1/waste", 8080, () -> new WasteApi(suffix)), env);
        Runtime.getRuntime().addShutdownHook(new Thread(running::shutdown));
        new CountDownLatch(1).await();
    }
}
