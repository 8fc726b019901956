package app.growbin.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;

/**
 * The physical limits the worker is measured against (bench/workers.sh), with none of the worker:
 * <ul>
 *   <li>{@code amqp <queue> <prefetch>}: a bare amqp-client consumer with the worker's prefetch that acks
 *       every message as it arrives (one {@code basic.ack} each, no decoding, no Redis); runs until killed,
 *       the bench times the queue draining as it does for the workers;</li>
 *   <li>{@code redis <n> <batch> <value-bytes>}: {@code n} {@code SET}s of a result-sized value on one
 *       connection, pipelined {@code batch} at a time; then the same keys written as the worker writes a
 *       result ({@code MULTI / SETEX / PUBLISH / EXEC}), pipelined the same way. Prints
 *       {@code set_per_s result_write_per_s} and deletes the keys.</li>
 * </ul>
 */
public final class Ceiling {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "amqp" -> amqp(args[1], Integer.parseInt(args[2]));
            case "redis" -> redis(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("usage: Ceiling amqp <queue> <prefetch> | redis <n> <batch> <bytes>");
        }
    }

    private static void amqp(String queue, int prefetch) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        Connection c = f.newConnection("ceiling");
        Channel ch = c.createChannel();
        ch.basicQos(prefetch);
        ch.basicConsume(queue, false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                ch.basicAck(envelope.getDeliveryTag(), false);
            }
        });
        Thread.currentThread().join(); // until the bench kills it
    }

    private static void redis(int n, int batch, int bytes) {
        String value = "x".repeat(bytes);
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add("growbin-ceiling-" + ProcessHandle.current().pid() + "-" + i);
        }
        try (Jedis j = new Jedis("127.0.0.1", 6379)) {
            // warm-up: the JIT and the connection
            setAll(j, keys.subList(0, Math.min(n, 5000)), batch, value);
            long t0 = System.nanoTime();
            setAll(j, keys, batch, value);
            double setRate = n / ((System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i += batch) {
                Transaction t = j.multi(); // queued commands are pipelined until EXEC
                for (String k : keys.subList(i, Math.min(n, i + batch))) {
                    t.setex(k, 600, value);
                    t.publish(k, value);
                }
                t.exec();
            }
            double resultRate = n / ((System.nanoTime() - t1) / 1e9);
            for (int i = 0; i < n; i += 1000) {
                j.del(keys.subList(i, Math.min(n, i + 1000)).toArray(new String[0]));
            }
            System.out.printf(java.util.Locale.ROOT, "%.1f %.1f%n", setRate, resultRate);
        }
    }

    private static void setAll(Jedis j, List<String> keys, int batch, String value) {
        for (int i = 0; i < keys.size(); i += batch) {
            Pipeline p = j.pipelined();
            for (String k : keys.subList(i, Math.min(keys.size(), i + batch))) {
                p.set(k, value);
            }
            p.sync();
        }
    }
}
