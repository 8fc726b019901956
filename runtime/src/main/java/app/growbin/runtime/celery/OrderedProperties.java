package app.growbin.runtime.celery;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.ContentHeaderPropertyWriter;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AMQP basic properties whose headers table goes on the wire in insertion order. The Java client
 * copies headers into a {@code HashMap}; Celery (py-amqp) writes them in the order it builds them,
 * and this class lets Java messages match those bytes exactly.
 */
final class OrderedProperties extends AMQP.BasicProperties {

    private static final long serialVersionUID = 1L;

    private final Map<String, Object> ordered;

    OrderedProperties(AMQP.BasicProperties p, Map<String, Object> headers) {
        super(p.getContentType(), p.getContentEncoding(), headers, p.getDeliveryMode(), p.getPriority(),
                p.getCorrelationId(), p.getReplyTo(), p.getExpiration(), p.getMessageId(), p.getTimestamp(),
                p.getType(), p.getUserId(), p.getAppId(), p.getClusterId());
        this.ordered = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public Map<String, Object> getHeaders() {
        return ordered;
    }

    @Override
    public void writePropertiesTo(ContentHeaderPropertyWriter w) throws IOException {
        w.writePresence(getContentType() != null);
        w.writePresence(getContentEncoding() != null);
        w.writePresence(true);
        w.writePresence(getDeliveryMode() != null);
        w.writePresence(getPriority() != null);
        w.writePresence(getCorrelationId() != null);
        w.writePresence(getReplyTo() != null);
        w.writePresence(getExpiration() != null);
        w.writePresence(getMessageId() != null);
        w.writePresence(getTimestamp() != null);
        w.writePresence(getType() != null);
        w.writePresence(getUserId() != null);
        w.writePresence(getAppId() != null);
        w.writePresence(getClusterId() != null);
        w.finishPresence();
        if (getContentType() != null) {
            w.writeShortstr(getContentType());
        }
        if (getContentEncoding() != null) {
            w.writeShortstr(getContentEncoding());
        }
        w.writeTable(ordered);
        if (getDeliveryMode() != null) {
            w.writeOctet(getDeliveryMode());
        }
        if (getPriority() != null) {
            w.writeOctet(getPriority());
        }
        if (getCorrelationId() != null) {
            w.writeShortstr(getCorrelationId());
        }
        if (getReplyTo() != null) {
            w.writeShortstr(getReplyTo());
        }
        if (getExpiration() != null) {
            w.writeShortstr(getExpiration());
        }
        if (getMessageId() != null) {
            w.writeShortstr(getMessageId());
        }
        if (getTimestamp() != null) {
            w.writeTimestamp(getTimestamp());
        }
        if (getType() != null) {
            w.writeShortstr(getType());
        }
        if (getUserId() != null) {
            w.writeShortstr(getUserId());
        }
        if (getAppId() != null) {
            w.writeShortstr(getAppId());
        }
        if (getClusterId() != null) {
            w.writeShortstr(getClusterId());
        }
    }
}
