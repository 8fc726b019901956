package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.runtime.Env;
import com.fasterxml.jackson.databind.node.IntNode;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The result writes against the real Redis: a new key is written and published in one script call, an existing
 * one goes through the GET-then-MULTI path (a stored SUCCESS is never overwritten), a key that holds no Celery
 * result fails only its own write, and concurrent writes (batched into rounds) keep all of it.
 */
class ResultBackendWriteTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private final ResultBackend results = new ResultBackend(Env.DEFAULT_RESULT_BACKEND, 600);
    private final Jedis redis = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND));
    private final List<String> ids = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (String id : ids) {
            redis.del(ResultBackend.key(id));
        }
        redis.close();
        results.close();
    }

    private String id() {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        return id;
    }

    private static TaskResult success(String id, int value) {
        return TaskResult.success(id, IntNode.valueOf(value), CLOCK);
    }

    private static TaskResult failure(String id, TaskState state) {
        return TaskResult.failure(id, state, new IllegalStateException("boom"), CLOCK);
    }

    @Test
    void aNewResultIsStoredWithItsExpiryAndPublished() throws Exception {
        String id = id();
        String key = ResultBackend.key(id);
        ConcurrentLinkedQueue<String> published = new ConcurrentLinkedQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                published.add(message);
                unsubscribe();
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis s = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
                s.subscribe(listener, key);
            }
        });
        subscriber.start();
        assertTrue(subscribed.await(30, TimeUnit.SECONDS));
        results.store(success(id, 7));
        subscriber.join(30_000);
        assertEquals(TaskState.SUCCESS, results.get(id).orElseThrow().status());
        assertEquals(List.of(results.raw(id).orElseThrow()), List.copyOf(published), "the stored value is published");
        long ttl = redis.ttl(key);
        assertTrue(ttl > 590 && ttl <= 600, "expires with the results: " + ttl);
    }

    @Test
    void aStoredSuccessIsNeverOverwrittenOtherStatesAre() {
        String id = id();
        results.store(failure(id, TaskState.RETRY));
        results.store(success(id, 1));
        assertEquals(TaskState.SUCCESS, results.get(id).orElseThrow().status(), "a RETRY is replaced");
        results.store(failure(id, TaskState.FAILURE));
        assertEquals(TaskState.SUCCESS, results.get(id).orElseThrow().status(), "a SUCCESS stays");
        assertEquals(1, results.get(id).orElseThrow().result().asInt());
        results.overwrite(failure(id, TaskState.FAILURE));
        assertEquals(TaskState.FAILURE, results.get(id).orElseThrow().status(), "overwrite replaces anything");
    }

    @Test
    void aKeyThatHoldsNoCeleryResultFailsOnlyItsOwnWrite() {
        String wrongType = id();
        String notJson = id();
        redis.lpush(ResultBackend.key(wrongType), "x");
        redis.set(ResultBackend.key(notJson), "not json");
        assertThrows(ResultBackend.CorruptResultKeyException.class, () -> results.store(success(wrongType, 1)));
        assertThrows(ResultBackend.CorruptResultKeyException.class, () -> results.store(success(notJson, 1)));
        String fine = id();
        results.store(success(fine, 2));
        assertEquals(2, results.get(fine).orElseThrow().result().asInt());
        results.overwrite(failure(wrongType, TaskState.FAILURE));
        assertEquals(TaskState.FAILURE, results.get(wrongType).orElseThrow().status());
    }

    /** Many threads at once: their writes are batched into rounds that mix new keys, existing ones and corrupt ones. */
    @Test
    void concurrentWritesKeepEveryRule() throws Exception {
        List<String> fresh = new ArrayList<>();
        List<String> succeeded = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            fresh.add(id());
        }
        for (int i = 0; i < 50; i++) {
            String s = id();
            results.store(success(s, -1));
            succeeded.add(s);
            String c = id();
            redis.lpush(ResultBackend.key(c), "x");
            corrupt.add(c);
        }
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> writes = new ArrayList<>();
            List<Future<?>> corruptWrites = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String f = fresh.get(i);
                int n = i;
                writes.add(threads.submit(() -> {
                    results.store(failure(f, TaskState.RETRY));
                    results.store(success(f, n));
                    results.store(failure(f, TaskState.FAILURE)); // a late duplicate: the SUCCESS stays
                }));
                if (i < 50) {
                    String s = succeeded.get(i);
                    writes.add(threads.submit(() -> results.store(failure(s, TaskState.FAILURE))));
                    String c = corrupt.get(i);
                    corruptWrites.add(threads.submit(() -> results.store(success(c, 1))));
                }
            }
            for (Future<?> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
            for (Future<?> c : corruptWrites) {
                java.util.concurrent.ExecutionException e =
                        assertThrows(java.util.concurrent.ExecutionException.class, () -> c.get(60, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof ResultBackend.CorruptResultKeyException, e.toString());
            }
        } finally {
            threads.shutdownNow();
        }
        for (int i = 0; i < 300; i++) {
            TaskResult r = results.get(fresh.get(i)).orElseThrow();
            assertEquals(TaskState.SUCCESS, r.status(), fresh.get(i));
            assertEquals(i, r.result().asInt());
        }
        for (String s : succeeded) {
            assertEquals(-1, results.get(s).orElseThrow().result().asInt(), "the stored SUCCESS stays");
        }
        for (String c : corrupt) {
            assertEquals("list", redis.type(ResultBackend.key(c)), "a corrupt key is left as it was");
        }
    }
}
