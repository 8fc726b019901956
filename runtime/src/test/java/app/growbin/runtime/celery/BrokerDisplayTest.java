package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the logs say about where the broker is: every address and the vhost, never the password. */
class BrokerDisplayTest {

    @Test
    void defaultVhostIsWrittenAsASlash() {
        assertEquals("127.0.0.1:5672/", new Broker("amqp://guest:secret@127.0.0.1:5672//", "t").display());
        assertEquals("127.0.0.1:5672/", new Broker("amqp://guest:secret@127.0.0.1:5672", "t").display());
    }

    @Test
    void namedVhostFollowsTheAddressesAfterASlash() {
        assertEquals("rabbit-0:5672,rabbit-1:5672/growbin",
                new Broker("amqp://u:secret@rabbit-0:5672/growbin;amqp://u:secret@rabbit-1:5672/growbin", "t").display());
    }
}
