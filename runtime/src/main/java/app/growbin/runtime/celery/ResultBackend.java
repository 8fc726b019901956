package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Celery's Redis result backend: {@code celery-task-meta-<id>} keys written with
 * {@code GET} (a stored SUCCESS is never overwritten) then {@code MULTI / SETEX / PUBLISH / EXEC},
 * the same commands a Python worker issues, so Python's {@code AsyncResult} reads Java results and
 * the other way round.
 *
 * <p>Results stored by concurrently finishing tasks are written together (group commit): the first caller
 * writes what is queued, in one script call for the keys that are new (nearly all: one round trip) and one
 * pipeline of {@code GET}s and one {@code MULTI/EXEC} for those that exist, while the callers that come
 * meanwhile queue theirs for the next round. Each {@link #store} still returns only once its own result
 * is written (so a message is acknowledged only after its result is in Redis), and fails with its own error.
 */
public final class ResultBackend implements AutoCloseable {

    public static final String KEY_PREFIX = "celery-task-meta-";

    private final JedisPool pool;
    private final int expiresSeconds;
    private final Clock clock;

    public ResultBackend(String url, int expiresSeconds) {
        this(url, expiresSeconds, Clock.systemUTC());
    }

    public ResultBackend(String url, int expiresSeconds, Clock clock) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("CELERY_RESULT_BACKEND must be redis://..., got " + uri.getScheme());
        }
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        config.setJmxEnabled(false);
        config.setMinIdle(PREPARED_CONNECTIONS);
        this.pool = new JedisPool(config, uri, 5000);
        prepareConnections();
        this.expiresSeconds = expiresSeconds;
        this.clock = clock;
    }

    /** Connections opened at start, so that the first burst of requests does not open them all at once under load. */
    static final int PREPARED_CONNECTIONS = 4;

    private void prepareConnections() {
        try {
            pool.preparePool();
        } catch (Exception redisNotReachableYet) {
            org.slf4j.LoggerFactory.getLogger(ResultBackend.class)
                    .warn("could not open Redis connections at start ({}); they are opened on first use", redisNotReachableYet.getMessage());
        }
    }

    public Clock clock() {
        return clock;
    }

    public static String key(String taskId) {
        return KEY_PREFIX + taskId;
    }

    /**
     * Stores a state unless a SUCCESS is already there (a redelivered task that had finished).
     *
     * @throws CorruptResultKeyException when the key holds something that is not a Celery result
     *     (another type, or not JSON): no retry can fix that; {@link #overwrite} replaces it
     */
    public void store(TaskResult result) {
        String value = result.encode();
        checkSize(value);
        writes.submit(new Write(key(result.taskId()), value, false, result.status() == TaskState.SUCCESS));
    }

    /**
     * {@link #store} without waiting: {@code whenStored} gets null once the result is in Redis (or a SUCCESS
     * already was), else the error, on the thread that wrote it (this one, or another caller running the rounds
     * now: then this one goes on at once); it must be short. Results stored meanwhile are written together.
     *
     * @throws MessageTooLargeException (at once) when the result is too large for Redis
     */
    public void storeInBackground(TaskResult result, java.util.function.Consumer<RuntimeException> whenStored) {
        String value = result.encode();
        checkSize(value);
        background.submit(new Write(key(result.taskId()), value, false, result.status() == TaskState.SUCCESS),
                whenStored);
    }

    private final BackgroundRounds<Write> background = new BackgroundRounds<>(this::writeAll);

    /** Stores a state whatever the key holds (SETEX replaces a value of any type). */
    public void overwrite(TaskResult result) {
        String value = result.encode();
        checkSize(value);
        writes.submit(new Write(key(result.taskId()), value, true, result.status() == TaskState.SUCCESS));
    }

    /** One result to write; {@code overwrite}: without the "never over a SUCCESS" check. */
    private static final class Write extends GroupCommit.Op {
        final String key;
        final String value;
        final boolean overwrite;
        final boolean success;

        Write(String key, String value, boolean overwrite, boolean success) {
            this.key = key;
            this.value = value;
            this.overwrite = overwrite;
            this.success = success;
        }
    }

    private final GroupCommit<Write> writes = new GroupCommit<>(this::writeAll);

    /**
     * The common case of a round in one round trip: each result whose key does not exist yet is written
     * ({@code SETEX} + {@code PUBLISH}, as Celery does) and answered 1; for a key that exists (a redelivered or
     * retried task, or a key that is no Celery result), nothing is written and the answer is 2 (0 when the key
     * is not a string), and every later write of the batch to that key is left to the caller too, so
     * the writes of one key stay in order. ARGV: the expiry, then per key its value and "1" for an overwrite.
     */
    static final String WRITE_NEW_RESULTS = String.join("\n",
            "local deferred = {}",
            "local out = {}",
            "for i = 1, #KEYS do",
            "  local key, value = KEYS[i], ARGV[2 * i]",
            "  if deferred[key] then",
            "    out[i] = 2",
            "  elseif ARGV[2 * i + 1] == '1' then",
            "    redis.call('SETEX', key, ARGV[1], value)",
            "    redis.call('PUBLISH', key, value)",
            "    out[i] = 1",
            "  else",
            "    local current = redis.pcall('GET', key)",
            "    if type(current) == 'table' and current.err then",
            "      deferred[key] = true",
            "      out[i] = 0",
            "    elseif current then",
            "      deferred[key] = true",
            "      out[i] = 2",
            "    else",
            "      redis.call('SETEX', key, ARGV[1], value)",
            "      redis.call('PUBLISH', key, value)",
            "      out[i] = 1",
            "    end",
            "  end",
            "end",
            "return out");

    private volatile String writeNewResultsSha;

    /**
     * A round of writes: first {@link #WRITE_NEW_RESULTS} (one round trip; under load nearly every key is new),
     * then, for the keys that exist, what {@link #store} did one by one: the {@code GET}s in one pipeline, then
     * every write that is not over a stored SUCCESS (nor over one written earlier in the same batch) in one
     * {@code MULTI / SETEX / PUBLISH ... / EXEC}. A key that does not hold a Celery result fails only its own write.
     */
    private void writeAll(List<Write> batch) {
        try (Jedis j = pool.getResource()) {
            List<Write> existing = writeNew(j, batch);
            if (!existing.isEmpty()) {
                writeOverExisting(j, existing);
            }
        }
    }

    /** Writes the results whose keys are new; returns the others, in batch order. */
    private List<Write> writeNew(Jedis j, List<Write> batch) {
        List<String> keys = new ArrayList<>(batch.size());
        List<String> args = new ArrayList<>(2 * batch.size() + 1);
        args.add(String.valueOf(expiresSeconds));
        for (Write w : batch) {
            keys.add(w.key);
            args.add(w.value);
            args.add(w.overwrite ? "1" : "0");
        }
        List<?> outcome = (List<?>) evalWriteNew(j, keys, args);
        List<Write> existing = new ArrayList<>(0);
        for (int i = 0; i < batch.size(); i++) {
            Write w = batch.get(i);
            Object o = outcome.get(i);
            if (o instanceof Long written && written == 1L) {
                w.done();
            } else if (o instanceof Long notAString && notAString == 0L) {
                w.fail(new CorruptResultKeyException(w.key + " is not a string"));
            } else {
                existing.add(w);
            }
        }
        return existing;
    }

    private Object evalWriteNew(Jedis j, List<String> keys, List<String> args) {
        String sha = writeNewResultsSha;
        if (sha != null) {
            try {
                return j.evalsha(sha, keys, args);
            } catch (redis.clients.jedis.exceptions.JedisNoScriptException flushedOrRestarted) {
                // loaded again below
            }
        }
        writeNewResultsSha = j.scriptLoad(WRITE_NEW_RESULTS);
        return j.evalsha(writeNewResultsSha, keys, args);
    }

    private void writeOverExisting(Jedis j, List<Write> batch) {
        List<Response<String>> current = new ArrayList<>(batch.size());
        boolean anyChecked = false;
        try (Pipeline p = j.pipelined()) {
            for (Write w : batch) {
                current.add(w.overwrite ? null : p.get(w.key));
                anyChecked |= !w.overwrite;
            }
            if (anyChecked) {
                p.sync();
            }
        }
        List<Write> toWrite = new ArrayList<>(batch.size());
        java.util.Set<String> successInBatch = new java.util.HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Write w = batch.get(i);
            if (!w.overwrite) {
                if (successInBatch.contains(w.key) || storedSuccess(w, current.get(i))) {
                    w.done(); // a redelivered task that had finished: the SUCCESS stays
                    continue;
                }
                if (w.failed()) {
                    continue;
                }
            }
            toWrite.add(w);
            if (w.success) {
                successInBatch.add(w.key);
            }
        }
        if (!toWrite.isEmpty()) {
            Transaction t = j.multi(); // queued commands are pipelined until EXEC
            for (Write w : toWrite) {
                t.setex(w.key, expiresSeconds, w.value);
                t.publish(w.key, w.value);
            }
            t.exec();
        }
        for (Write w : toWrite) {
            w.done();
        }
    }

    /** Whether the key holds a SUCCESS; a key that holds no Celery result fails {@code w} with CorruptResultKeyException. */
    private static boolean storedSuccess(Write w, Response<String> response) {
        String current;
        try {
            current = response.get();
        } catch (JedisDataException e) {
            w.fail(new CorruptResultKeyException(w.key + " is not a string (" + e.getMessage() + ")"));
            return false;
        }
        if (current == null) {
            return false;
        }
        TaskResult stored;
        try {
            stored = TaskResult.decode(current);
        } catch (RuntimeException e) {
            w.fail(new CorruptResultKeyException(w.key + " does not hold a Celery result: " + SafeRepr.truncate(current, 80)));
            return false;
        }
        return stored.status() == TaskState.SUCCESS;
    }

    /** Celery's own bound ({@code BackendStoreError('value too large for Redis backend')}): 512 MB. */
    private static void checkSize(String value) {
        if (value.length() > 512L * 1024 * 1024 - 1024) {
            throw new MessageTooLargeException("the result", value.length(), 512L * 1024 * 1024);
        }
    }

    /** The key holds something that is not a Celery result: retrying cannot fix it. */
    public static final class CorruptResultKeyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public CorruptResultKeyException(String message) {
            super(message);
        }
    }

    /**
     * A chord header task is done: Celery 5.2's Redis {@code on_chord_part_return}. In one
     * {@code MULTI}: {@code ZADD celery-taskset-meta-<group>.j <group_index> [1, id, state, result]},
     * {@code ZCOUNT}, {@code GET .t} and {@code GET .s} (the size the producer set), {@code EXPIRE} the
     * three. The task that makes the count reach the size gets the ordered results back (and the keys
     * are deleted); every other gets empty.
     */
    public Optional<List<ChordPart>> chordPartReturn(String groupId, Integer groupIndex, String taskId, TaskState state,
            JsonNode result) {
        String jkey = GROUP_PREFIX + groupId + ".j";
        String tkey = GROUP_PREFIX + groupId + ".t";
        String skey = GROUP_PREFIX + groupId + ".s";
        ArrayNode part = JsonNodeFactory.instance.arrayNode().add(1).add(taskId).add(state.name());
        part.add(result == null ? JsonNodeFactory.instance.nullNode() : result);
        try (Jedis j = pool.getResource()) {
            Transaction t = j.multi();
            t.zadd(jkey, groupIndex == null ? Double.POSITIVE_INFINITY : groupIndex, PythonJson.write(part));
            Response<Long> ready = t.zcount(jkey, "-inf", "+inf");
            Response<String> diff = t.get(tkey);
            Response<String> size = t.get(skey);
            t.expire(jkey, expiresSeconds);
            t.expire(tkey, expiresSeconds);
            t.expire(skey, expiresSeconds);
            t.exec();
            if (size.get() == null) {
                return Optional.empty();
            }
            long total = Long.parseLong(size.get().trim()) + (diff.get() == null ? 0 : Long.parseLong(diff.get().trim()));
            if (ready.get() != total) {
                return Optional.empty();
            }
            List<ChordPart> parts = new ArrayList<>();
            for (String raw : j.zrange(jkey, 0, -1)) {
                JsonNode n = PythonJson.read(raw);
                parts.add(new ChordPart(n.path(1).asText(), TaskState.parse(n.path(2).asText()), n.get(3)));
            }
            j.del(jkey, tkey, skey);
            return Optional.of(parts);
        } catch (NumberFormatException e) {
            throw new CorruptResultKeyException(skey + " or " + tkey + " is not a number");
        }
    }

    /** One finished header task of a chord. */
    public record ChordPart(String taskId, TaskState state, JsonNode result) {}

    /** What a producer does before it sends a chord's header: the number of parts to wait for ({@code .s}). */
    public void setChordSize(String groupId, int size) {
        try (Jedis j = pool.getResource()) {
            j.setex(GROUP_PREFIX + groupId + ".s", expiresSeconds, String.valueOf(size));
        }
    }

    public static final String GROUP_PREFIX = "celery-taskset-meta-";
    /** Every replica's revocations: one sorted set, member = task id, score = when it was revoked (epoch ms). */
    static final String REVOKED_KEY = "growbin-revoked";
    private static final String DELIVERIES_PREFIX = "growbin-deliveries-";

    /**
     * Records revoked task ids (revoked at {@code revokedAtMs}) for every replica, also one started later, in one
     * transaction: {@code ZADD growbin-revoked}, entries older than {@code keepMs} trimmed, and the whole set
     * expiring {@code keepMs} after the last revocation.
     */
    public void markRevoked(List<String> taskIds, long revokedAtMs, long keepMs) {
        java.util.Map<String, Double> members = new java.util.LinkedHashMap<>();
        for (String id : taskIds) {
            members.put(id, (double) revokedAtMs);
        }
        try (Jedis j = pool.getResource()) {
            Transaction t = j.multi();
            t.zadd(REVOKED_KEY, members);
            t.zremrangeByScore(REVOKED_KEY, "-inf", "(" + (revokedAtMs - keepMs));
            t.pexpire(REVOKED_KEY, keepMs);
            t.exec();
        }
    }

    /** One recorded revocation. */
    public record Revocation(String taskId, long revokedAtMs) {}

    /** The revocations recorded at or after {@code sinceMs}, oldest first, at most {@code limit} (the newest). */
    public List<Revocation> revokedSince(long sinceMs, int limit) {
        try (Jedis j = pool.getResource()) {
            List<redis.clients.jedis.resps.Tuple> newestFirst =
                    j.zrevrangeByScoreWithScores(REVOKED_KEY, "+inf", String.valueOf(sinceMs), 0, limit);
            List<Revocation> out = new ArrayList<>(newestFirst.size());
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                redis.clients.jedis.resps.Tuple t = newestFirst.get(i);
                out.add(new Revocation(t.getElement(), (long) t.getScore()));
            }
            return out;
        }
    }

    /** Counts one more delivery of a redelivered message; the count expires with the results. */
    public long countDelivery(String taskId) {
        try (Jedis j = pool.getResource()) {
            String key = DELIVERIES_PREFIX + taskId;
            long n = j.incr(key);
            j.expire(key, expiresSeconds);
            return n;
        }
    }

    static final String OWNER_PREFIX = "growbin-task-owner-";

    /**
     * Remembers who started a task (a token's subject), for as long as its results are kept, so that
     * any replica can tell the owner's reads from everyone else's.
     */
    public void recordOwner(String taskId, String owner) {
        try (Jedis j = pool.getResource()) {
            j.setex(OWNER_PREFIX + taskId, expiresSeconds, owner);
        }
    }

    /** Who started a task; empty for an unknown (or expired) one. */
    public Optional<String> owner(String taskId) {
        try (Jedis j = pool.getResource()) {
            return Optional.ofNullable(j.get(OWNER_PREFIX + taskId));
        }
    }

    /** Forgets a task's owner (tests). */
    public void deleteOwner(String taskId) {
        try (Jedis j = pool.getResource()) {
            j.del(OWNER_PREFIX + taskId);
        }
    }

    public Optional<TaskResult> get(String taskId) {
        try (Jedis j = pool.getResource()) {
            String raw = j.get(key(taskId));
            return raw == null ? Optional.empty() : Optional.of(TaskResult.decode(raw));
        }
    }

    /** The raw stored string (tests compare it byte for byte). */
    public Optional<String> raw(String taskId) {
        try (Jedis j = pool.getResource()) {
            return Optional.ofNullable(j.get(key(taskId)));
        }
    }

    public void delete(String taskId) {
        try (Jedis j = pool.getResource()) {
            j.del(key(taskId));
        }
    }

    public boolean ping() {
        try (Jedis j = pool.getResource()) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        background.close();
        pool.close();
    }
}
