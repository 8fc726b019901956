package app.growbin.runtime.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own for one test, created in the PostgreSQL every machine of this project runs on
 * 127.0.0.1:5432 (trust authentication, database {@code test}) and dropped again by {@link #close()}.
 * {@code GROWBIN_TEST_PG_URL} points elsewhere (a JDBC URL of the maintenance database).
 */
public final class TestDatabase implements AutoCloseable {

    public static final String ADMIN_URL = System.getenv().getOrDefault("GROWBIN_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("GROWBIN_TEST_PG_USER", "postgres");

    private final String adminUrl;
    private final String name;

    private TestDatabase(String adminUrl, String name) {
        this.adminUrl = adminUrl;
        this.name = name;
    }

    public static TestDatabase create() throws SQLException {
        return create(ADMIN_URL);
    }

    /** A new database on the server of {@code adminUrl} (a JDBC URL of an existing database). */
    public static TestDatabase create(String adminUrl) throws SQLException {
        String name = "growbin_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase(adminUrl, name);
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database (the value of DATABASE_URL). */
    public String url() {
        int slash = adminUrl.lastIndexOf('/');
        String query = adminUrl.contains("?") ? adminUrl.substring(adminUrl.indexOf('?')) : "";
        return adminUrl.substring(0, slash + 1) + name + query;
    }

    public String user() {
        return USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
