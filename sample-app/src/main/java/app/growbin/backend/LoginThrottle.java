package app.growbin.backend;

import app.growbin.runtime.HttpException;
import app.growbin.runtime.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Throttles failed logins per account and per client address, in PostgreSQL so that every replica
 * counts the same failures. A key that failed {@code threshold} times within the window is locked:
 * first for {@code baseLock}, doubling with each further failure up to {@code maxLock}; a locked key
 * gets a 429 with {@code Retry-After} before any password is checked. A successful login clears its
 * account's count (not its address's: one right password must not reset a spraying address).
 */
final class LoginThrottle {

    /** The rule for one kind of key. */
    record Rule(int threshold, Duration window, Duration baseLock, Duration maxLock) {}

    static final Rule PER_ACCOUNT = new Rule(5, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
    static final Rule PER_ADDRESS = new Rule(20, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));

    private final Database db;
    private final Rule perAccount;
    private final Rule perAddress;

    LoginThrottle(Database db, Rule perAccount, Rule perAddress) {
        this.db = db;
        this.perAccount = perAccount;
        this.perAddress = perAddress;
    }

    static String accountKey(String username) {
        return "account:" + username.toLowerCase(Locale.ROOT);
    }

    static String addressKey(String address) {
        return "address:" + address;
    }

    /** 429 with Retry-After when the account or the address is locked now. */
    void check(String username, String address) {
        Instant until = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT max(locked_until) FROM login_failures WHERE key IN (?, ?) AND locked_until > now()")) {
                s.setString(1, accountKey(username));
                s.setString(2, addressKey(address));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    Timestamp t = r.getTimestamp(1);
                    return t == null ? null : t.toInstant();
                }
            }
        });
        if (until != null) {
            long seconds = Math.max(1, (Duration.between(Instant.now(), until).toMillis() + 999) / 1000);
            throw HttpException.tooManyRequests("too many failed logins; try again later", seconds);
        }
    }

    /** Counts a failure for the account and the address, locking either when it passed its threshold. */
    void recordFailure(String username, String address) {
        db.inTransaction(c -> {
            count(c, accountKey(username), perAccount);
            count(c, addressKey(address), perAddress);
            return null;
        });
    }

    /** A successful login clears the account's failures. */
    void recordSuccess(String username) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM login_failures WHERE key = ?")) {
                s.setString(1, accountKey(username));
                return s.executeUpdate();
            }
        });
    }

    private static void count(Connection c, String key, Rule rule) throws SQLException {
        int failures;
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO login_failures (key, failures, window_start) VALUES (?, 1, now()) "
                        + "ON CONFLICT (key) DO UPDATE SET "
                        + "failures = CASE WHEN login_failures.window_start < now() - make_interval(secs => ?) "
                        + "AND (login_failures.locked_until IS NULL OR login_failures.locked_until < now()) "
                        + "THEN 1 ELSE login_failures.failures + 1 END, "
                        + "window_start = CASE WHEN login_failures.window_start < now() - make_interval(secs => ?) "
                        + "AND (login_failures.locked_until IS NULL OR login_failures.locked_until < now()) "
                        + "THEN now() ELSE login_failures.window_start END "
                        + "RETURNING failures")) {
            s.setString(1, key);
            s.setLong(2, rule.window().toSeconds());
            s.setLong(3, rule.window().toSeconds());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                failures = r.getInt(1);
            }
        }
        if (failures >= rule.threshold()) {
            int doublings = Math.min(20, failures - rule.threshold());
            long seconds = Math.min(rule.maxLock().toSeconds(), rule.baseLock().toSeconds() << doublings);
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE login_failures SET locked_until = now() + make_interval(secs => ?) WHERE key = ?")) {
                s.setLong(1, seconds);
                s.setString(2, key);
                s.executeUpdate();
            }
        }
    }
}
