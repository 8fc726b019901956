package app.growbin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.runtime.celery.Broker;
import app.growbin.runtime.celery.CeleryMessage;
import app.growbin.runtime.celery.CeleryWorker;
import app.growbin.runtime.celery.QueueType;
import app.growbin.runtime.celery.ResultBackend;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.celery.TaskResult;
import app.growbin.runtime.celery.TaskState;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.testing.JvmProcess;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Quorum queues on a real three-node RabbitMQ cluster: Debian's {@code rabbitmq-server} started
 * three times on loopback with private node names, ports and data directories (never the shared
 * node on 5672), joined with {@code rabbitmqctl join_cluster}, and stopped by the test. Two workers
 * ({@code CELERY_QUEUE_TYPE=quorum}, the cluster's three URLs) consume 2,000 tasks while the node
 * that leads the work queue is killed ({@code SIGKILL}) mid-load: no task may be lost; duplicates,
 * dead-lettered messages and runs per task are printed as {@code [cluster]} lines.
 *
 * <p>Starting three Erlang nodes takes about a minute on two cores, so it runs with {@code CI=true}
 * or {@code GROWBIN_TEST_RABBITMQ_CLUSTER=1}, like the broker restart test.
 */
class QuorumClusterTest {

    static final String BIN = "/usr/lib/rabbitmq/bin/";
    static final int TASKS = 2_000;
    static final Duration WAIT = Duration.ofMinutes(4);

    private final List<Node> nodes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final String queue = "test.quorum." + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final List<String> ids = new ArrayList<>();
    private Path base;

    record Node(String name, int port, Path dir, Process process) {
        String url() {
            return "amqp://guest:guest@127.0.0.1:" + port + "//";
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // the cluster is going away anyway
            }
        }
        for (Node n : nodes) {
            ctl(60, "-n", n.name(), "stop");
            n.process().destroyForcibly();
            n.process().waitFor(30, TimeUnit.SECONDS);
        }
        killLeftovers();
        if (!ids.isEmpty()) {
            try (Jedis j = new Jedis(java.net.URI.create(Env.DEFAULT_RESULT_BACKEND))) {
                for (int i = 0; i < ids.size(); i += 500) {
                    j.del(ids.subList(i, Math.min(ids.size(), i + 500)).stream().map(ResultBackend::key).toArray(String[]::new));
                }
            }
        }
        if (base != null) {
            try (var files = Files.walk(base)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Any beam process of this test's nodes that survived (found by its data directory). */
    private void killLeftovers() {
        if (base == null) {
            return;
        }
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(base.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void stoppingTheLeaderNodeMidLoadLosesNoTask() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getenv("CI")) || "1".equals(System.getenv("GROWBIN_TEST_RABBITMQ_CLUSTER")),
                "starts a three-node RabbitMQ cluster (about a minute): runs with CI=true or GROWBIN_TEST_RABBITMQ_CLUSTER=1");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BIN, "rabbitmq-server")), "Debian's rabbitmq-server is not installed");
        startCluster();
        String urls = String.join(";", nodes.stream().map(Node::url).toList());

        MetricsRegistry registry = new MetricsRegistry();
        ResultBackend results = new ResultBackend(Env.DEFAULT_RESULT_BACKEND, 3600);
        closeables.add(results);
        TaskDispatcher dispatcher = (task, args) -> {
            int n = args.get(0, "n", int.class);
            runs.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(2);
            return n;
        };
        for (int w = 0; w < 2; w++) {
            // each worker tries the nodes in another order
            List<String> order = new ArrayList<>(nodes.stream().map(Node::url).toList());
            java.util.Collections.rotate(order, w + 1);
            Broker broker = new Broker(String.join(";", order), "cluster-worker-" + w, QueueType.QUORUM, Broker.DEFAULT_MAX_MESSAGE_BYTES);
            closeables.add(broker);
            CeleryWorker worker = new CeleryWorker(new CeleryWorker.Settings("cluster", queue, Pool.THREADS, 8, 3, 100, 60, dlq),
                    dispatcher, broker, results, registry);
            closeables.add(worker);
            broker.connect(Duration.ofSeconds(60));
            worker.start();
        }
        Broker clientBroker = new Broker(urls, "cluster-client", QueueType.QUORUM, Broker.DEFAULT_MAX_MESSAGE_BYTES);
        closeables.add(clientBroker);
        clientBroker.connect(Duration.ofSeconds(60));
        TaskClient client = new TaskClient(clientBroker, results);
        assertEquals("quorum", queueType(clientBroker, queue), "the work queue is a quorum queue");
        assertEquals("quorum", queueType(clientBroker, dlq), "the dead-letter queue is a quorum queue");

        Node leader = leaderOf(queue);
        int publishRetries = 0;
        long killedAt = 0;
        for (int i = 0; i < TASKS; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            CeleryMessage m = CeleryMessage.builder("t.count", id).rootId(id)
                    .args(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(i)).build();
            publishRetries += publishUntilConfirmed(client, queue, m);
            if (i == TASKS / 4) {
                killedAt = System.nanoTime();
                kill(leader);
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> missing = missing(results);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            missing = missing(results);
        }
        int duplicates = 0;
        int maxRuns = 0;
        for (AtomicInteger r : runs.values()) {
            duplicates += Math.max(0, r.get() - 1);
            maxRuns = Math.max(maxRuns, r.get());
        }
        long deadLettered = clientBroker.messageCount(dlq);
        System.out.printf("[cluster] 3 nodes, quorum queues, leader %s killed (SIGKILL) after %d of %d tasks were sent:"
                + " lost %d, duplicated runs %d (tasks run twice or more: %d, at most %d runs), dead-lettered %d,"
                + " publishes retried %d, all done %d ms after the kill%n", leader.name(), TASKS / 4 + 1, TASKS,
                missing.size(), duplicates, runs.values().stream().filter(r -> r.get() > 1).count(), maxRuns, deadLettered,
                publishRetries, (System.nanoTime() - killedAt) / 1_000_000);
        assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())), missing.size() + " tasks lost");
        assertEquals(TASKS, runs.size());
        assertEquals(0, deadLettered);
    }

    /** Publishes (declaring the queue); a publish cut off by the node's death is sent again (same id). */
    private static int publishUntilConfirmed(TaskClient client, String queue, CeleryMessage m) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int retries = 0;
        while (true) {
            try {
                client.publish(queue, m);
                return retries;
            } catch (UncheckedIOException | com.rabbitmq.client.AlreadyClosedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                retries++;
                Thread.sleep(200);
            }
        }
    }

    private List<String> missing(ResultBackend results) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Optional<TaskResult> r = results.get(id);
            if (r.isEmpty() || r.get().status() != TaskState.SUCCESS) {
                missing.add(id);
            }
        }
        return missing;
    }

    private static String queueType(Broker broker, String q) throws Exception {
        // a passive declare does not show arguments; redeclaring as classic must fail on a quorum queue
        try (Channel ch = broker.connection().createChannel()) {
            ch.queueDeclare(q, true, false, false, null);
            return "classic";
        } catch (IOException e) {
            return "quorum";
        }
    }

    private Node leaderOf(String q) throws Exception {
        for (Node n : nodes) {
            String out = ctlOutput(60, "-n", n.name(), "list_queues", "name", "leader", "--silent");
            for (String line : out.split("\n")) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length == 2 && cols[0].equals(q)) {
                    for (Node candidate : nodes) {
                        if (candidate.name().equals(cols[1])) {
                            return candidate;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no leader found for " + q);
    }

    private static void kill(Node node) throws InterruptedException {
        // the Erlang VM and its helpers: everything started for this node's data directory
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(node.dir().toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        node.process().destroyForcibly();
        node.process().waitFor(30, TimeUnit.SECONDS);
    }

    private void startCluster() throws Exception {
        base = Files.createTempDirectory("growbin-rabbit-cluster");
        Files.writeString(base.resolve("enabled_plugins"), "[].\n");
        for (int i = 1; i <= 3; i++) {
            String name = "growbin" + i + "-" + ProcessHandle.current().pid() + "@localhost";
            int port = JvmProcess.freePort();
            int dist = JvmProcess.freePort();
            Path dir = Files.createDirectories(base.resolve("n" + i));
            Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.default = 127.0.0.1:" + port + "\n"
                    + "loopback_users = none\n");
            ProcessBuilder pb = new ProcessBuilder(BIN + "rabbitmq-server");
            Map<String, String> env = pb.environment();
            env.putAll(nodeEnv(name, port, dist, dir));
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
            nodes.add(new Node(name, port, dir, pb.start()));
        }
        for (Node n : nodes) {
            awaitStartup(n);
        }
        Node first = nodes.get(0);
        for (Node n : nodes.subList(1, 3)) {
            assertEquals(0, ctl(120, "-n", n.name(), "stop_app"));
            assertEquals(0, ctl(120, "-n", n.name(), "reset"));
            assertEquals(0, ctl(120, "-n", n.name(), "join_cluster", first.name()), "join_cluster " + n.name());
            assertEquals(0, ctl(120, "-n", n.name(), "start_app"));
        }
        String status = ctlOutput(60, "-n", first.name(), "cluster_status");
        for (Node n : nodes) {
            assertTrue(status.contains(n.name()), status);
        }
    }

    /** {@code await_startup} answers at once while the node is not up yet: asked again until it is (bounded). */
    private void awaitStartup(Node n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (ctl(120, "-n", n.name(), "await_startup") != 0) {
            if (System.nanoTime() > deadline || !n.process().isAlive()) {
                throw new AssertionError("node " + n.name() + " did not start:\n" + log(n));
            }
            Thread.sleep(1000);
        }
    }

    private Map<String, String> nodeEnv(String name, int port, int dist, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", base.toString()); // the Erlang cookie shared by the nodes and rabbitmqctl
        env.put("RABBITMQ_NODENAME", name);
        env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
        env.put("RABBITMQ_DIST_PORT", String.valueOf(dist));
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()); // not /etc's
        return env;
    }

    private static String log(Node n) {
        try {
            return Files.readString(n.dir().resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private int ctl(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        Process p = ctlProcess(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -2;
        }
        return p.exitValue();
    }

    private String ctlOutput(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(base, "ctl", ".out");
        Process p = ctlProcess(args).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private ProcessBuilder ctlProcess(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BIN + "rabbitmqctl"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", base.toString());
        pb.environment().put("RABBITMQ_CONF_ENV_FILE", base.resolve("rabbitmq-env.conf").toString());
        return pb;
    }
}
