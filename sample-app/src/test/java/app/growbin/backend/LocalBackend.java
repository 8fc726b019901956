package app.growbin.backend;

import app.growbin.contract.Endpoints;
import app.growbin.contract.EnvVars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/dev.sh}: every Deployment of {@code k8s-out/<env>/} as a process on this machine,
 * started the way ManifestRuntimeTest starts them, from the Deployment's own command, args and env:
 * {@code java} is this machine's java and the {@code -cp} value this build's class path; the env is
 * the ConfigMap of {@code envFrom}, then the literal {@code env} values, each {@code secretKeyRef}
 * taken from the local values of {@code scripts/dev.secrets}; {@code BIND_ADDRESS=127.0.0.1}; each
 * named port the declared one when it is free, else a free one. Every output line is prefixed with
 * its service; a table of service → URL is printed, then "ready" once every readiness probe answers.
 * SIGTERM or SIGINT stops every process the way Kubernetes does (SIGTERM, then the grace period).
 *
 * <p>Arguments: the environment folder, the secrets file. Not a test: a tool the tests share the
 * class path with (it needs YAML, which the application does not).
 */
public final class LocalBackend {

    static final String LOOPBACK = "127.0.0.1";
    /** The variable of each named port, what the runtime listens on. */
    static final Map<String, String> PORT_VARIABLES = Map.of(Endpoints.HTTP_PORT_NAME, EnvVars.HTTP_PORT,
            Endpoints.METRICS_PORT_NAME, EnvVars.METRICS_PORT);
    static final Duration READY_WITHIN = Duration.ofSeconds(Long.getLong("growbin.dev.readySeconds", 180));
    static final Duration STOP_WITHIN = Duration.ofSeconds(60);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final PrintStream OUT = System.out;

    /** One Deployment, ready to start. */
    record Service(String name, String mode, List<String> command, Map<String, String> env, Map<String, Integer> ports,
                   String readinessPath, String readinessPort, String path) {

        int readinessPortNumber() {
            return ports.get(readinessPort);
        }
    }

    private LocalBackend() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalBackend <k8s-out/env folder> <secrets file>");
            System.exit(2);
        }
        Path environment = Path.of(args[0]);
        List<Service> services;
        try {
            services = plan(environment, secrets(Path.of(args[1])), System.getProperty("java.class.path"));
        } catch (IllegalArgumentException e) {
            System.err.println("dev: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(environment, services);
    }

    /** Every Deployment of the folder as a process to start, in name order. */
    static List<Service> plan(Path environment, Map<String, String> secrets, String classPath) throws IOException {
        List<JsonNode> objects = objects(environment);
        Map<String, Map<String, String>> configMaps = new TreeMap<>();
        Map<String, String> paths = new TreeMap<>();
        for (JsonNode object : objects) {
            if (object.path("kind").asText().equals("ConfigMap")) {
                Map<String, String> data = new TreeMap<>();
                for (Map.Entry<String, JsonNode> entry : object.path("data").properties()) {
                    data.put(entry.getKey(), entry.getValue().asText());
                }
                configMaps.put(object.path("metadata").path("name").asText(), data);
            } else if (object.path("kind").asText().equals("Ingress")) {
                for (JsonNode rule : object.path("spec").path("rules")) {
                    for (JsonNode path : rule.path("http").path("paths")) {
                        paths.put(path.path("backend").path("service").path("name").asText(), path.path("path").asText());
                    }
                }
            }
        }
        List<Service> services = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        for (JsonNode object : objects) {
            if (object.path("kind").asText().equals("Deployment")) {
                services.add(service(object, configMaps, secrets, paths, classPath, taken));
            }
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no Deployment in " + environment);
        }
        services.sort(java.util.Comparator.comparing(Service::name));
        return services;
    }

    private static Service service(JsonNode deployment, Map<String, Map<String, String>> configMaps, Map<String, String> secrets,
                                   Map<String, String> paths, String classPath, Set<Integer> taken) throws IOException {
        String object = deployment.path("metadata").path("name").asText();
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
        List<String> command = new ArrayList<>();
        container.path("command").forEach(part -> command.add(part.asText()));
        int cp = command.indexOf("-cp");
        if (command.isEmpty() || !command.get(0).equals("java") || cp < 0 || cp + 1 >= command.size()) {
            throw new IllegalArgumentException(object + ": the command is not `java ... -cp <class path> ...`: " + command);
        }
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.set(cp + 1, classPath);
        List<String> args = new ArrayList<>();
        container.path("args").forEach(part -> args.add(part.asText()));
        command.addAll(args);
        if (args.size() != 2) {
            throw new IllegalArgumentException(object + ": args are not <mode> <name>: " + args);
        }

        Map<String, String> env = new TreeMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String name = from.path("configMapRef").path("name").asText();
            Map<String, String> data = configMaps.get(name);
            if (data == null) {
                throw new IllegalArgumentException(object + ": envFrom names the ConfigMap " + name + ", which is not in the folder");
            }
            env.putAll(data);
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            if (variable.has("value")) {
                env.put(name, variable.path("value").asText());
                continue;
            }
            JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
            String key = ref.path("name").asText() + "/" + ref.path("key").asText();
            if (!secrets.containsKey(key)) {
                throw new IllegalArgumentException(object + ": " + name + " comes from the Secret key " + key
                        + ", which scripts/dev.secrets has no local value for; add a line `" + key + "=...`");
            }
            String value = secrets.get(key);
            if (!value.isEmpty()) {
                env.put(name, value);
            }
        }
        env.put(EnvVars.BIND_ADDRESS, LOOPBACK);

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode port : container.path("ports")) {
            String name = port.path("name").asText();
            String variable = PORT_VARIABLES.get(name);
            if (variable == null) {
                throw new IllegalArgumentException(object + ": the port " + name + " is not one the runtime serves " + PORT_VARIABLES.keySet());
            }
            int local = freePort(port.path("containerPort").asInt(), taken);
            env.put(variable, String.valueOf(local));
            ports.put(name, local);
        }
        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        String service = deployment.path("metadata").path("name").asText();
        return new Service(args.get(1), args.get(0), command, env, ports, readiness.path("path").asText(Endpoints.READY_PATH),
                readiness.path("port").asText(), paths.getOrDefault(service, ""));
    }

    /** The declared port when nothing listens on it here, else one the system picks. */
    static int freePort(int declared, Set<Integer> taken) throws IOException {
        if (!taken.contains(declared)) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), declared));
                taken.add(declared);
                return declared;
            } catch (IOException inUse) {
                // another process (or service) has it
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            taken.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
    }

    /**
     * The local values of Secret keys ({@code <secret>/<key>=<value>}): {@code ${VAR}} and
     * {@code ${VAR:-default}} read this environment, {@code @random} becomes a fresh random token
     * (64 hex digits), an empty value leaves the variable unset.
     */
    static Map<String, String> secrets(Path file) throws IOException {
        Map<String, String> secrets = new TreeMap<>();
        SecureRandom random = new SecureRandom();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0 || trimmed.indexOf('/') < 0 || trimmed.indexOf('/') > equals) {
                throw new IllegalArgumentException(file + ": `" + trimmed + "` is not <secret>/<key>=<value>");
            }
            String value = trimmed.substring(equals + 1).strip();
            if (value.contains("@random")) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                value = value.replace("@random", HexFormat.of().formatHex(bytes));
            } else {
                Matcher variable = VARIABLE.matcher(value);
                StringBuilder expanded = new StringBuilder();
                while (variable.find()) {
                    String fromEnvironment = Optional.ofNullable(System.getenv(variable.group(1))).filter(v -> !v.isEmpty())
                            .orElse(variable.group(2) == null ? "" : variable.group(2));
                    variable.appendReplacement(expanded, Matcher.quoteReplacement(fromEnvironment));
                }
                variable.appendTail(expanded);
                value = expanded.toString();
            }
            secrets.put(trimmed.substring(0, equals).strip(), value);
        }
        return secrets;
    }

    /**
     * The objects {@code kubectl apply -k} applies: the files of the folder's kustomization.yaml
     * {@code resources}. Its {@code patches} (scheduling, tolerations and the like in the sample) are
     * not applied to local processes; they are named on the output.
     */
    private static List<JsonNode> objects(Path environment) throws IOException {
        Path kustomization = environment.resolve("kustomization.yaml");
        if (!Files.isRegularFile(kustomization)) {
            throw new IllegalArgumentException(environment + " is not an environment folder of k8s-out/ (no kustomization.yaml);"
                    + " run mvn compile, or name an environment that has one");
        }
        JsonNode listing = YAML.readTree(kustomization.toFile());
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : listing.path("resources")) {
            try (var parser = YAML.createParser(environment.resolve(resource.asText()).toFile())) {
                YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
            }
        }
        List<String> patches = new ArrayList<>();
        // Growbin writes the patches inline (patch: and target:); a hand-written kustomization may name a file (path:)
        listing.path("patches").forEach(patch -> patches.add(patch.has("path") ? patch.path("path").asText()
                : "the patch of " + patch.path("target").path("kind").asText() + "/" + patch.path("target").path("name").asText()));
        if (!patches.isEmpty()) {
            OUT.println("dev: not applied to the local processes: " + String.join(", ", patches));
        }
        return objects;
    }

    // --- running ---------------------------------------------------------------------------------

    private static void run(Path environment, List<Service> services) throws InterruptedException {
        int width = services.stream().mapToInt(s -> s.name().length()).max().orElse(8);
        Map<Service, Process> processes = new LinkedHashMap<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(processes);
            stopped.countDown();
        }, "stop"));
        long start = System.nanoTime();
        for (Service service : services) {
            ProcessBuilder builder = new ProcessBuilder(service.command()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(service.env());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + service.name(), e);
            }
            synchronized (processes) {
                processes.put(service, process);
            }
            prefixOutput(service.name(), width, process);
        }
        table(environment, services, width);
        awaitReady(services, processes, start);
        stopped.await();
    }

    private static void table(Path environment, List<Service> services, int width) {
        StringBuilder table = new StringBuilder();
        table.append("dev: ").append(services.size()).append(" processes of ").append(environment)
                .append(", bound to ").append(LOOPBACK).append('\n');
        table.append(String.format("  %-" + width + "s  %-6s  %s%n", "service", "kind", "URL"));
        for (Service service : services) {
            int port = service.readinessPortNumber();
            String url = "http://" + LOOPBACK + ":" + port + (service.mode().equals("rest") ? service.path() : Endpoints.METRICS_PATH);
            table.append(String.format("  %-" + width + "s  %-6s  %s%n", service.name(), service.mode(), url));
        }
        table.append("  (each port also serves ").append(Endpoints.HEALTH_PATH).append(", ").append(Endpoints.READY_PATH)
                .append(" and ").append(Endpoints.METRICS_PATH).append("; Ctrl-C stops everything)\n");
        synchronized (OUT) {
            OUT.print(table);
            OUT.flush();
        }
    }

    private static void awaitReady(List<Service> services, Map<Service, Process> processes, long start) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = start + READY_WITHIN.toNanos();
        List<Service> waiting = new ArrayList<>(services);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting.removeIf(service -> answers(http, service) || !processes.get(service).isAlive());
            if (!waiting.isEmpty()) {
                Thread.sleep(200);
            }
        }
        List<String> dead = services.stream().filter(s -> !processes.get(s).isAlive()).map(Service::name).toList();
        synchronized (OUT) {
            if (waiting.isEmpty() && dead.isEmpty()) {
                OUT.printf("dev: ready: all %d processes answer %s (%d ms)%n", services.size(), Endpoints.READY_PATH,
                        (System.nanoTime() - start) / 1_000_000);
            } else {
                OUT.printf("dev: not ready within %d s: %s; exited: %s%n", READY_WITHIN.toSeconds(),
                        waiting.stream().map(Service::name).toList(), dead);
            }
            OUT.flush();
        }
    }

    private static boolean answers(HttpClient http, Service service) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":"
                    + service.readinessPortNumber() + service.readinessPath())).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Each line of the process's output, as {@code name | line}, on this process's standard output. */
    private static void prefixOutput(String name, int width, Process process) {
        String prefix = String.format("%-" + width + "s | ", name);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (OUT) {
                        OUT.println(prefix + line);
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
            try {
                int status = process.waitFor();
                synchronized (OUT) {
                    OUT.println(prefix + "(exited with " + status + ")");
                    OUT.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "output-" + name);
        reader.start();
    }

    /** SIGTERM to every process, as the kubelet sends it; whatever still runs after the grace period is killed. */
    private static void stop(Map<Service, Process> processes) {
        List<Process> running;
        synchronized (processes) {
            running = List.copyOf(processes.values());
        }
        synchronized (OUT) {
            OUT.println("dev: stopping " + running.size() + " processes (SIGTERM)");
            OUT.flush();
        }
        running.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_WITHIN.toNanos();
        for (Process process : running) {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        synchronized (OUT) {
            OUT.println("dev: stopped");
            OUT.flush();
        }
    }
}
