package app.growbin.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.Response;
import app.growbin.runtime.RestServiceDefinition;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.PrivatePostgres;
import app.growbin.runtime.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** PostgreSQL for a service: migrations safe with N replicas, uniqueness by the database, 503 and recovery when it goes away. */
class DatabaseTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void replicasStartingTogetherMigrateOnceAndTheDatabaseEnforcesUniqueness() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Database.Settings settings = new Database.Settings(db.url(), db.user(), "", 2, 2000);
            ExecutorService starter = Executors.newFixedThreadPool(3);
            List<Future<Database>> starting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                starting.add(starter.submit(() -> new Database(settings, "dbtest")));
            }
            List<Database> replicas = new ArrayList<>();
            try {
                for (Future<Database> f : starting) {
                    replicas.add(f.get());
                }
                for (Database d : replicas) {
                    d.awaitReady(60_000);
                }
                try (Connection c = db.connect(); ResultSet r = c.createStatement().executeQuery(
                        "SELECT count(*), count(*) FILTER (WHERE success) FROM dbtest.flyway_schema_history WHERE version IS NOT NULL")) {
                    r.next();
                    assertEquals(2, r.getInt(1), "each migration ran once");
                    assertEquals(2, r.getInt(2));
                }
                replicas.get(0).inTransaction(c -> insert(c, "alice"));
                IllegalStateException duplicate = assertThrows(IllegalStateException.class,
                        () -> replicas.get(1).inTransaction(c -> insert(c, "alice")));
                assertTrue(duplicate.getCause() instanceof SQLException && Database.isUniqueViolation((SQLException) duplicate.getCause()),
                        String.valueOf(duplicate.getCause()));
            } finally {
                starter.shutdownNow();
                replicas.forEach(Database::close);
            }
        }
    }

    @Test
    void settingsComeFromTheEnvironment() {
        Database.Settings s = Database.Settings.fromEnv(new Env(Map.of(EnvVars.DATABASE_URL, "jdbc:postgresql://db:5432/app",
                EnvVars.DATABASE_USER, "app", EnvVars.DATABASE_PASSWORD, "pw", EnvVars.DATABASE_POOL_SIZE, "7")));
        assertEquals(new Database.Settings("jdbc:postgresql://db:5432/app", "app", "pw", 7, 2000), s);
        assertThrows(IllegalArgumentException.class, () -> Database.Settings.fromEnv(new Env(Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Database.Settings.fromEnv(new Env(Map.of(EnvVars.DATABASE_URL, "mysql://x"))));
    }

    /**
     * A private PostgreSQL is stopped under a running service: readiness turns 503, requests get a JSON
     * 503 at once; when it is back, both recover without a restart.
     */
    @Test
    void whileTheDatabaseIsDownReadinessFailsAndRequestsGetJson503ThenItRecovers() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start(); TestDatabase db = TestDatabase.create(pg.adminUrl())) {
            RestServiceDefinition def = new RestServiceDefinition("items", "/api/items", 8080, () -> (routes, context) -> {
                Database d = context.database("dbtest");
                routes.get("", Access.PUBLIC, r -> Response.ok(Map.of("count", d.inTransaction(c -> {
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }))));
            });
            Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0", EnvVars.SHUTDOWN_GRACE_SECONDS, "1",
                    EnvVars.DATABASE_URL, db.url(), EnvVars.DATABASE_USER, db.user(), EnvVars.DATABASE_CONNECT_TIMEOUT_MS, "1000"));
            Launcher.Running service = Launcher.startRest(def, env);
            try {
                int port = service.port();
                await("ready", () -> status(port, "/ready"), 200);
                assertEquals(200, status(port, "/api/items"));

                pg.stopServer();
                await("not ready", () -> status(port, "/ready"), 503);
                HttpResponse<String> down = await("a 503", () -> status(port, "/api/items"), 503);
                assertTrue(down.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
                assertTrue(json.readTree(down.body()).get("error").asText().contains("database"), down.body());
                assertTrue(down.headers().firstValue("Retry-After").isPresent());

                pg.startServer();
                await("ready again", () -> status(port, "/ready"), 200);
                HttpResponse<String> back = await("served again", () -> status(port, "/api/items"), 200);
                assertEquals(0, json.readTree(back.body()).get("count").asInt());
            } finally {
                service.shutdown();
            }
        }
    }

    private HttpResponse<String> last;

    private int status(int port, String path) {
        last = JvmProcess.get(port, path);
        return last == null ? -1 : last.statusCode();
    }

    private HttpResponse<String> await(String what, IntSupplier status, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (status.getAsInt() == expected) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waiting for " + what + ": last answer " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static int insert(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO items (name) VALUES (?)")) {
            s.setString(1, name);
            return s.executeUpdate();
        }
    }
}
