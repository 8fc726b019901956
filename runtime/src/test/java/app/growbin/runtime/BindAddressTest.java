package app.growbin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.contract.EnvVars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code BIND_ADDRESS}: a REST service listens on every interface by default (a container's port
 * must be reachable from the pod network) and on loopback only when it says 127.0.0.1, as
 * scripts/dev.sh does on a developer's machine. The listening socket's local address is read from
 * the kernel's tables ({@code /proc/net/tcp} and {@code tcp6}: the JDK listens on a dual-stack socket
 * where it can), so no traffic leaves loopback.
 */
class BindAddressTest {

    @Test
    void everyInterfaceByDefaultAndLoopbackWhenAsked() throws IOException {
        assertEquals("00000000", listeningAddress(Map.of()), "default: 0.0.0.0");
        assertEquals("0100007F", listeningAddress(Map.of(EnvVars.BIND_ADDRESS, "127.0.0.1")), "BIND_ADDRESS=127.0.0.1");
    }

    /** The local IPv4 address (hex, as /proc/net/tcp writes it) of the REST service's listening socket. */
    private static String listeningAddress(Map<String, String> extra) throws IOException {
        Map<String, String> variables = new HashMap<>(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0",
                EnvVars.SHUTDOWN_GRACE_SECONDS, "1"));
        variables.putAll(extra);
        Launcher.Running rest = Launcher.startRest(Launcher.findRest(Launcher.catalogs(), "echo"), new Env(variables));
        try {
            String port = String.format(Locale.ROOT, "%04X", rest.port());
            for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                if (!Files.exists(Path.of(table))) {
                    continue;
                }
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    // local_address is ADDRESS:PORT in hex; state 0A is LISTEN
                    if (fields.length > 3 && fields[1].endsWith(":" + port) && fields[3].equals("0A")) {
                        return ipv4(fields[1].substring(0, fields[1].indexOf(':')));
                    }
                }
            }
            throw new AssertionError("no listening socket on port " + rest.port() + " in /proc/net/tcp or tcp6");
        } finally {
            rest.shutdown();
        }
    }

    /** An IPv6 table's any-address and IPv4-mapped addresses as the IPv4 table writes them. */
    private static String ipv4(String address) {
        if (address.length() == 32 && address.chars().allMatch(c -> c == '0')) {
            return "00000000";
        }
        return address.length() == 32 && address.startsWith("0000000000000000FFFF0000") ? address.substring(24) : address;
    }
}
