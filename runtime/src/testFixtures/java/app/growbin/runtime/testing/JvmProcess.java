package app.growbin.runtime.testing;

import java.io.IOException;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a separate process (as a container would start it): the exact command line and
 * environment given, nothing inherited from the test's environment, output into a log file that a
 * failing assertion can show. {@link #close()} kills it (and anything it started) and waits.
 */
public final class JvmProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    private final Process process;
    final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The java of the JVM running the test. */
    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test's runtime class path (surefire's, not the manifest-only booter jar). */
    public static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    public static JvmProcess start(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path log = Files.createTempFile("growbin-" + name + "-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = pb.start();
        // if the test JVM exits without reaching a finally (Ctrl-C, surefire timeout), no orphan stays behind
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name));
        return new JvmProcess(name, process, log);
    }

    /** The operating-system process, for fault tests that kill it outright. */
    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** The last lines of the output, for assertion messages. */
    public String tail() {
        String[] lines = output().split("\n");
        StringBuilder sb = new StringBuilder("--- last output of ").append(name).append(" (pid ").append(pid())
                .append(process.isAlive() ? ", running" : ", exited " + process.exitValue()).append(") ---\n");
        for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    /** SIGKILL, as the kubelet does after the grace period or the OOM killer at any time. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    /** GET http://127.0.0.1:port/path; status -1 when nothing answers. */
    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Polls GET until it answers {@code status} or {@code timeout} passes (the process dying ends it early). */
    public HttpResponse<String> awaitStatus(int port, String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(port, path);
            if (last != null && last.statusCode() == status) {
                return last;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(name + ": GET :" + port + path + " did not answer " + status + " within " + timeout
                + " (last: " + (last == null ? "no answer" : last.statusCode() + " " + last.body()) + ")\n" + tail());
    }

    /** The declared port when nothing listens on it (and it was not handed out already), else a free one. */
    public static int portFor(int declared, java.util.Set<Integer> taken) throws IOException {
        if (!taken.contains(declared) && bindable(declared)) {
            taken.add(declared);
            return declared;
        }
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
                int p = s.getLocalPort();
                if (taken.add(p)) {
                    return p;
                }
            }
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            return s.getLocalPort();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the runtime's server socket (JDK default on Linux): TIME_WAIT does not make a port busy
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
