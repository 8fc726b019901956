package app.growbin.runtime.celery;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection to RabbitMQ, from a Celery-style URL ({@code amqp://user:pass@host:5672//},
 * where the path {@code //} is the virtual host {@code /}). Automatic recovery is on, so a broker
 * restart is survived: channels and consumers come back by themselves. Publishing goes through one
 * channel in confirm mode: a message counts as sent only when the broker has confirmed it.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final ConnectionFactory factory;
    private final String connectionName;
    private final String display;
    private volatile Connection connection;
    private volatile boolean closed;

    public Broker(String url, String connectionName) {
        this.factory = factory(url);
        this.connectionName = connectionName;
        this.display = factory.getHost() + ":" + factory.getPort() + factory.getVirtualHost();
    }

    static ConnectionFactory factory(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "amqp" : uri.getScheme();
        if (!scheme.equals("amqp") && !scheme.equals("amqps") && !scheme.equals("pyamqp")) {
            throw new IllegalArgumentException("CELERY_BROKER_URL must be amqp://..., got scheme " + scheme);
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(uri.getHost() == null ? "127.0.0.1" : uri.getHost());
        f.setPort(uri.getPort() > 0 ? uri.getPort() : (scheme.equals("amqps") ? 5671 : 5672));
        if (uri.getRawUserInfo() != null) {
            String[] userPass = uri.getRawUserInfo().split(":", 2);
            f.setUsername(URLDecoder.decode(userPass[0], StandardCharsets.UTF_8));
            if (userPass.length > 1) {
                f.setPassword(URLDecoder.decode(userPass[1], StandardCharsets.UTF_8));
            }
        }
        String path = uri.getRawPath();
        String vhost = "/";
        if (path != null && path.length() > 1 && !path.equals("//")) {
            vhost = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
        }
        f.setVirtualHost(vhost);
        if (scheme.equals("amqps")) {
            try {
                f.useSslProtocol();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
            }
        }
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(1000);
        f.setRequestedHeartbeat(30);
        f.setConnectionTimeout(5000);
        return f;
    }

    /** The open connection, connecting now if needed (one attempt). */
    public Connection connection() throws IOException {
        Connection c = connection;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("broker client closed");
            }
            if (connection == null) {
                try {
                    connection = factory.newConnection(connectionName);
                } catch (TimeoutException e) {
                    throw new IOException("timed out connecting to RabbitMQ at " + display, e);
                }
                LOG.info("connected to RabbitMQ at {}", display);
            }
            return connection;
        }
    }

    /** Connects, retrying every second until it works or {@code timeout} has passed. */
    public Connection connect(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (!closed) {
            try {
                return connection();
            } catch (IOException e) {
                last = e;
                if (System.nanoTime() > deadline) {
                    break;
                }
                LOG.warn("RabbitMQ at {} not reachable ({}); retrying", display, e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while connecting", ie);
                }
            }
        }
        throw last != null ? last : new IOException("broker client closed");
    }

    /** Connected and not in the middle of a recovery. */
    public boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    public String display() {
        return display;
    }

    /** The publishing channel and the confirms it still owes, by sequence number. */
    private static final class Publisher {
        final Channel channel;
        final ConcurrentSkipListMap<Long, CompletableFuture<Void>> pending =
                new ConcurrentSkipListMap<>();

        Publisher(Channel channel) {
            this.channel = channel;
            channel.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
                    (seq, multiple) -> settle(seq, multiple, new IOException("RabbitMQ rejected (nack) the message")));
            channel.addShutdownListener(cause -> {
                IOException e = new IOException("RabbitMQ channel closed: " + cause.getMessage(), cause);
                pending.values().forEach(f -> f.completeExceptionally(e));
                pending.clear();
            });
        }

        void settle(long seq, boolean multiple, IOException error) {
            Map<Long, CompletableFuture<Void>> done =
                    multiple ? pending.headMap(seq, true) : pending.subMap(seq, true, seq, true);
            for (CompletableFuture<Void> f : done.values()) {
                if (error == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(error);
                }
            }
            done.clear();
        }
    }

    private Publisher publisherState; // guarded by this

    /**
     * Publishes and waits for the broker's confirm. Many threads may wait at once: only the publish
     * itself is serialised, so the broker confirms (and fsyncs) concurrent messages together.
     */
    public void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body)
            throws IOException {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (this) {
            try {
                if (publisherState == null || !publisherState.channel.isOpen()) {
                    Channel ch = connection().createChannel();
                    ch.confirmSelect();
                    publisherState = new Publisher(ch);
                }
                long seq = publisherState.channel.getNextPublishSeqNo();
                publisherState.pending.put(seq, confirmed);
                publisherState.channel.basicPublish(exchange, routingKey, true, props, body);
            } catch (com.rabbitmq.client.ShutdownSignalException e) {
                publisherState = null;
                throw new IOException("RabbitMQ channel closed: " + e.getMessage(), e);
            }
        }
        try {
            confirmed.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing", e);
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ did not confirm the message in time", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Declares a queue the way Celery does (durable, not exclusive, not auto-deleted, no arguments). */
    public synchronized void declareCeleryQueue(String queue) throws IOException {
        try (Channel ch = connection().createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Ready messages in a queue, or -1 when it does not exist or the broker is not reachable. */
    public long messageCount(String queue) {
        if (!isOpen()) {
            return -1;
        }
        try (Channel ch = connection().createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | TimeoutException | RuntimeException e) {
            return -1;
        }
    }

    /** Drops the connection at once, as a killed process would (tests of redelivery). */
    public synchronized void abort() {
        closed = true;
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close(5000);
            } catch (IOException | RuntimeException e) {
                c.abort();
            }
        }
    }
}
