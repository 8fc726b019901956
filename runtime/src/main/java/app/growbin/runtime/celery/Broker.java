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
 * where the path {@code //} is the virtual host {@code /}); several URLs separated by {@code ;} (kombu's
 * failover list) name the nodes of a cluster, tried in turn on connect and on recovery. Automatic recovery is on, so a broker
 * restart is survived: channels and consumers come back by themselves. Publishing goes through one
 * channel in confirm mode: a message counts as sent only when the broker has confirmed it.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final ConnectionFactory factory;
    private final java.util.List<com.rabbitmq.client.Address> addresses;
    private final String connectionName;
    private final String display;
    private volatile Connection connection;
    private volatile boolean closed;

    private final QueueType queueType;
    private final long maxMessageBytes;

    /** RabbitMQ's default {@code max_message_size}: 128 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 128L * 1024 * 1024;

    public Broker(String url, String connectionName) {
        this(url, connectionName, QueueType.CLASSIC, DEFAULT_MAX_MESSAGE_BYTES);
    }

    public Broker(String url, String connectionName, QueueType queueType, long maxMessageBytes) {
        String[] urls = url.split(";");
        this.factory = factory(urls[0].trim());
        this.addresses = new java.util.ArrayList<>();
        for (String u : urls) {
            ConnectionFactory f = factory(u.trim());
            addresses.add(new com.rabbitmq.client.Address(f.getHost(), f.getPort()));
        }
        this.connectionName = connectionName;
        this.display = addresses.stream().map(a -> a.getHost() + ":" + a.getPort())
                .collect(java.util.stream.Collectors.joining(",")) + vhostPath(factory.getVirtualHost());
        this.queueType = queueType;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** How an AMQP URL writes the vhost: {@code /} for the default one, {@code /name} for the others. */
    static String vhostPath(String vhost) {
        return "/".equals(vhost) ? "/" : "/" + vhost;
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
                    connection = factory.newConnection(addresses, connectionName);
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

    /** A publish waiting for its confirm; a basic.return before the ack marks it unroutable. */
    private static final class Pending {
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();
        final String exchange;
        final String routingKey;
        final String correlationId;
        final int bodyLength;
        volatile String returned;

        Pending(String exchange, String routingKey, String correlationId, int bodyLength) {
            this.exchange = exchange;
            this.routingKey = routingKey;
            this.correlationId = correlationId;
            this.bodyLength = bodyLength;
        }

        boolean matches(String ex, String rk, String correlation, int length) {
            return returned == null && exchange.equals(ex) && routingKey.equals(rk)
                    && java.util.Objects.equals(correlationId, correlation) && bodyLength == length;
        }
    }

    /** The publishing channel and the confirms it still owes, by sequence number. */
    private static final class Publisher {
        final Channel channel;
        final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
        volatile boolean retired;

        Publisher(Channel channel) {
            this.channel = channel;
            channel.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
                    (seq, multiple) -> settle(seq, multiple, new IOException("RabbitMQ rejected (nack) the message")));
            channel.addReturnListener(r -> {
                // a return comes before the ack of the same message: flag the oldest matching publish
                for (Pending p : pending.values()) {
                    if (p.matches(r.getExchange(), r.getRoutingKey(), r.getProperties().getCorrelationId(),
                            r.getBody().length)) {
                        p.returned = r.getReplyCode() + " " + r.getReplyText();
                        break;
                    }
                }
            });
            channel.addShutdownListener(cause -> {
                IOException e = new IOException("RabbitMQ channel closed: " + cause.getMessage(), cause);
                pending.values().forEach(p -> p.confirmed.completeExceptionally(e));
                pending.clear();
            });
        }

        void settle(long seq, boolean multiple, IOException error) {
            Map<Long, Pending> done = multiple ? pending.headMap(seq, true) : pending.subMap(seq, true, seq, true);
            for (Pending p : done.values()) {
                if (error != null) {
                    p.confirmed.completeExceptionally(error);
                } else if (p.returned != null) {
                    p.confirmed.completeExceptionally(new UnroutableMessageException("RabbitMQ returned the message to "
                            + (p.exchange.isEmpty() ? "the default exchange" : "exchange " + p.exchange) + " with routing key "
                            + p.routingKey + ": " + p.returned));
                } else {
                    p.confirmed.complete(null);
                }
            }
            done.clear();
            closeIfDrained();
        }

        void forget(long seq) {
            pending.remove(seq);
            closeIfDrained();
        }

        /** No new publishes; the channel closes once the confirms it owes are in. */
        void retire() {
            retired = true;
            closeIfDrained();
        }

        private void closeIfDrained() {
            if (retired && pending.isEmpty() && channel.isOpen()) {
                // not on the connection's thread, which delivers the close-ok
                CompletableFuture.runAsync(() -> {
                    try {
                        channel.abort();
                    } catch (IOException | RuntimeException e) {
                        // closing anyway
                    }
                });
            }
        }
    }

    private Publisher publisherState; // guarded by this
    private final java.util.Set<String> declaredQueues = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The largest body the broker takes (RabbitMQ's {@code max_message_size}). */
    public long maxMessageBytes() {
        return maxMessageBytes;
    }

    public QueueType queueType() {
        return queueType;
    }

    /**
     * Refuses, before anything is sent, what the broker or the client would refuse: a routing key
     * longer than an AMQP short string, headers that do not fit in one frame, a body above
     * {@link #maxMessageBytes()}.
     */
    public void checkSendable(String routingKey, AMQP.BasicProperties props, byte[] body) throws IOException {
        if (routingKey.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new MalformedMessageException("the queue name (routing key) is longer than 255 bytes: "
                    + routingKey.substring(0, 60) + "...");
        }
        if (body.length > maxMessageBytes) {
            throw new MessageTooLargeException("the message body", body.length, maxMessageBytes);
        }
        int frameMax = connection().getFrameMax();
        long headerFrame;
        try {
            headerFrame = ((com.rabbitmq.client.impl.AMQContentHeader) props).toFrame(0, body.length).size();
        } catch (IllegalArgumentException e) {
            // a header string longer than AMQP allows
            throw new MessageTooLargeException("a message header", Long.MAX_VALUE, frameMax);
        }
        if (frameMax > 0 && headerFrame > frameMax) {
            throw new MessageTooLargeException("the message headers (one AMQP frame)", headerFrame, frameMax);
        }
    }

    /**
     * Publishes (mandatory) and waits for the broker's confirm. Many threads may wait at once: only
     * the publish itself is serialised, so the broker confirms (and fsyncs) concurrent messages
     * together. A message the broker returns (no queue for its routing key) fails with
     * {@link UnroutableMessageException}; one the broker would refuse fails with
     * {@link MessageTooLargeException} before it is sent. Neither disturbs the confirm tracking of
     * other publishes.
     */
    public void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body)
            throws IOException {
        checkSendable(routingKey, props, body);
        Pending pending = new Pending(exchange, routingKey, props.getCorrelationId(), body.length);
        Publisher publisher;
        long seq;
        synchronized (this) {
            if (publisherState == null || !publisherState.channel.isOpen()) {
                Channel ch = connection().createChannel();
                ch.confirmSelect();
                publisherState = new Publisher(ch);
            }
            publisher = publisherState;
            seq = publisher.channel.getNextPublishSeqNo();
            publisher.pending.put(seq, pending);
            try {
                publisher.channel.basicPublish(exchange, routingKey, true, props, body);
            } catch (IOException | RuntimeException e) {
                // the client may have counted a sequence number the broker never saw: a fresh channel
                // keeps later confirms matched to their messages
                publisher.forget(seq);
                publisher.retire();
                publisherState = null;
                throw e instanceof IOException io ? io : new IOException("could not publish: " + e.getMessage(), e);
            }
        }
        try {
            pending.confirmed.get(CONFIRM_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing", e);
        } catch (TimeoutException e) {
            publisher.forget(seq);
            throw new IOException("RabbitMQ did not confirm the message in time", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnroutableMessageException u) {
                declaredQueues.remove(routingKey);
                throw new UnroutableMessageException(u.getMessage());
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static final int CONFIRM_TIMEOUT_SECONDS = 10;

    /**
     * Declares a queue the way Celery does (durable, not exclusive, not auto-deleted; no arguments, or
     * {@code x-queue-type: quorum}), once per queue and connection. A queue that exists with other
     * arguments is used as it is (RabbitMQ refuses to redeclare it; logged once).
     */
    public void declareCeleryQueue(String queue) throws IOException {
        if (declaredQueues.contains(queue)) {
            return;
        }
        if (queue.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new MalformedMessageException("a queue name is longer than 255 bytes: " + queue.substring(0, 60) + "...");
        }
        try (Channel ch = connection().createChannel()) {
            ch.queueDeclare(queue, true, false, false, queueType.queueArguments());
        } catch (IOException e) {
            if (!isPreconditionFailed(e)) {
                throw e;
            }
            try (Channel ch = connection().createChannel()) {
                ch.queueDeclarePassive(queue);
            } catch (TimeoutException e2) {
                throw new IOException(e2);
            }
            LOG.warn("queue {} exists with other arguments than CELERY_QUEUE_TYPE={} asks for; using it as it is", queue,
                    queueType.name().toLowerCase(java.util.Locale.ROOT));
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
        if (declaredQueues.size() > 10_000) {
            declaredQueues.clear();
        }
        declaredQueues.add(queue);
    }

    static boolean isPreconditionFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.rabbitmq.client.ShutdownSignalException s
                    && s.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 406) {
                return true;
            }
        }
        return false;
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
