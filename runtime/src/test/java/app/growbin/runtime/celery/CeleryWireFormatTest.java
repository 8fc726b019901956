package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte comparison with what Celery 5.2.6 put on the wire and into Redis (the recordings in
 * {@code src/test/resources/celery/}; {@code python/record_protocol_samples.py} recorded protocol-samples.json).
 */
class CeleryWireFormatTest {

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = CeleryWireFormatTest.class.getResourceAsStream("/celery/" + name)) {
            return PythonJson.MAPPER.readTree(in);
        }
    }

    private static CeleryMessage sampleMessage() {
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add(1);
        ObjectNode kwargs = JsonNodeFactory.instance.objectNode().put("k", "v");
        return CeleryMessage.call("bench.echo", "61df7096-0422-4977-b772-fb9f2849911b", args, kwargs, "gen1936@vm",
                "7a60028a-9981-3e4a-8339-6bcf7451c4b1");
    }

    @Test
    void bodyIsByteForByteCeleryJson() throws IOException {
        JsonNode wire = resource("wire-sample.json");
        CeleryMessage m = sampleMessage();
        assertEquals(wire.get("body").asText(), new String(m.body(), StandardCharsets.UTF_8));
        assertEquals(wire.at("/wire/body_hex").asText(), HexFormat.of().formatHex(m.body()));
    }

    @Test
    void contentHeaderFrameIsByteForByteCelery() throws IOException {
        JsonNode wire = resource("wire-sample.json");
        CeleryMessage m = sampleMessage();
        byte[] payload = m.properties().toFrame(1, m.body().length).getPayload();
        assertEquals(wire.at("/wire/content_header_payload_hex").asText(), HexFormat.of().formatHex(payload));
    }

    @Test
    void decodesCeleryHeadersAsTheJavaClientDeliversThem() throws IOException {
        JsonNode wire = resource("wire-sample.json");
        Map<String, Object> h = new LinkedHashMap<>();
        wire.get("headers").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            Object o;
            if (v.isTextual()) {
                o = LongStringHelper.asLongString(v.asText());
            } else if (v.isInt()) {
                o = v.asInt();
            } else if (v.isBoolean()) {
                o = v.asBoolean();
            } else if (v.isArray()) {
                o = Arrays.asList(null, null);
            } else {
                o = null;
            }
            h.put(e.getKey(), o);
        });
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").headers(h).replyTo("r").build();
        CeleryMessage m = CeleryMessage.decode(props, wire.get("body").asText().getBytes(StandardCharsets.UTF_8), 1 << 20);
        assertEquals("bench.echo", m.task());
        assertEquals("61df7096-0422-4977-b772-fb9f2849911b", m.id());
        assertEquals(m.id(), m.rootId());
        assertNull(m.parentId());
        assertEquals(0, m.retries());
        assertEquals(1, m.args().get(0).asInt());
        assertEquals("v", m.kwargs().get("k").asText());
        assertEquals(List.of(), m.chain());
        assertNull(m.timeLimit());
        assertNull(m.softTimeLimit());
    }

    @Test
    void rejectsWhatIsNotProtocolV2() {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").build();
        assertThrows(MalformedMessageException.class, () -> CeleryMessage.decode(props, "[]".getBytes(), 1 << 20));
    }

    @Test
    void successResultIsByteForByteCelery() throws IOException {
        JsonNode sample = resource("redis-result-samples.json").get("success");
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T06:11:10.250157Z"), ZoneOffset.UTC);
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("hello", "world").put("n", 42);
        TaskResult r = TaskResult.success("08f4c430-d0de-4e3f-a1e4-a0b9801fddce", value, clock);
        assertEquals(sample.get("raw").asText(), r.encode());
    }

    @Test
    void failureResultIsByteForByteCelery() throws IOException {
        JsonNode sample = resource("redis-result-samples.json").get("failure");
        JsonNode decoded = sample.get("decoded");
        TaskResult r = new TaskResult(TaskState.FAILURE, decoded.get("result"), decoded.get("traceback").asText(),
                JsonNodeFactory.instance.arrayNode(), decoded.get("date_done").asText(), decoded.get("task_id").asText());
        assertEquals(sample.get("raw").asText(), r.encode());
        TaskFailedException e = TaskFailedException.from(TaskResult.decode(sample.get("raw").asText()));
        assertEquals("ValueError", e.excType());
        assertEquals("builtins", e.excModule());
        assertEquals("ValueError: deliberate failure (task 41adb0af-df3f-4cf0-9c45-d48e83716fa6)", e.getMessage());
    }

    @Test
    void javaExceptionsBecomeCeleryExceptionDicts() {
        ObjectNode e = TaskResult.exception(new IllegalStateException("boom"));
        assertEquals("{\"exc_type\": \"IllegalStateException\", \"exc_message\": [\"boom\"], \"exc_module\": \"java.lang\"}",
                PythonJson.write(e));
    }

    @Test
    void dateDoneIsPythonIsoformat() {
        assertEquals("2026-11-27T06:11:10", TaskResult.dateDone(Clock.fixed(Instant.parse("2026-11-27T06:11:10Z"), ZoneOffset.UTC)));
        assertEquals("2026-11-27T06:11:10.000100",
                TaskResult.dateDone(Clock.fixed(Instant.parse("2026-11-27T06:11:10.0001Z"), ZoneOffset.UTC)));
        assertEquals("0987-01-02T03:04:05.999999",
                TaskResult.dateDone(Clock.fixed(Instant.parse("0987-01-02T03:04:05.999999999Z"), ZoneOffset.UTC)),
                "zero-padded, and nanoseconds cut (not rounded) to microseconds, as Python keeps them");
        assertEquals("2026-12-31T23:59:59",
                TaskResult.dateDone(Clock.fixed(Instant.parse("2026-12-31T23:59:59.000000999Z"), ZoneOffset.UTC)),
                "under a microsecond is no fraction");
    }

    @Test
    void argsreprIsCeleryTruncatedSaferepr() throws IOException {
        for (JsonNode sample : resource("protocol-samples.json").get("saferepr")) {
            assertEquals(sample.get("repr").asText(), SafeRepr.of(sample.get("value")), sample.get("value").toString());
        }
        assertEquals("\"caf\\u00e9\"", PythonJson.write("caf\u00e9"));
    }

    @Test
    void oneMegabyteArgumentKeepsTheHeadersSmall() throws IOException {
        String big = "x".repeat(1 << 20);
        CeleryMessage m = CeleryMessage.builder("t.big", "id-1").args(JsonNodeFactory.instance.arrayNode().add(big))
                .kwargs(JsonNodeFactory.instance.objectNode().put("k", big)).build();
        long headerFrame = m.properties().toFrame(1, m.body().length).size();
        assertTrue(headerFrame < 4096, "header frame of " + headerFrame + " bytes");
        assertTrue(m.body().length > 2 << 20);
    }

    @Test
    void timeLimitsGoAsHardThenSoftAsCelerySendsThem() throws IOException {
        JsonNode limits = resource("protocol-samples.json").get("limits");
        CeleryMessage m = decodeSample(limits);
        assertEquals(5.0, m.timeLimit());
        assertEquals(3.0, m.softTimeLimit());
        assertEquals(Instant.parse(limits.at("/headers/eta").asText().replace("+00:00", "Z")), m.eta());
        assertEquals(Instant.parse(limits.at("/headers/expires").asText().replace("+00:00", "Z")), m.expires());
        Map<String, Object> h = m.headers();
        assertEquals(Arrays.asList(5, 3), h.get("timelimit"));
        assertEquals(limits.at("/headers/eta").asText(), h.get("eta"));
        assertEquals(limits.at("/headers/expires").asText(), h.get("expires"));
    }

    @Test
    void decodesCeleryLinkChainAndChordMessages() throws IOException {
        JsonNode samples = resource("protocol-samples.json");
        CeleryMessage link = decodeSample(samples.get("link"));
        assertEquals("t.cb", link.callbacks().get(0).task());
        assertEquals(10, link.callbacks().get(0).args().get(0).asInt());
        assertEquals("t.err", link.errbacks().get(0).task());
        CeleryMessage chain = decodeSample(samples.get("chain"));
        assertEquals(List.of("t.c", "t.b"), chain.chain().stream().map(Signature::task).toList());
        assertEquals(chain.chain().get(1).taskId(), chain.chain().get(1).options().get("task_id").asText());
        for (String part : List.of("chord_part0", "chord_part1")) {
            CeleryMessage p = decodeSample(samples.get(part));
            assertEquals("t.sum", p.chord().task());
            assertEquals(samples.at("/" + part + "/headers/group").asText(), p.groupId());
            assertEquals(samples.at("/" + part + "/headers/group_index").asInt(), p.groupIndex());
        }
        // what a Java worker sends on keeps Celery's body form (the embed), so Python reads it back
        assertEquals(new String(link.json(), StandardCharsets.UTF_8),
                new String(Base64.getDecoder().decode(samples.at("/link/body_base64").asText()), StandardCharsets.UTF_8));
    }

    @Test
    void readsKombuGzipAndBzip2BodiesAndWritesThemBack() throws IOException {
        JsonNode samples = resource("protocol-samples.json");
        for (String name : List.of("gzip", "bzip2")) {
            CeleryMessage m = decodeSample(samples.get(name));
            assertEquals("\u00e9\u00e9\u00e9", m.args().get(0).asText(), name);
            assertEquals(2, m.kwargs().get("k").get(1).asInt(), name);
            byte[] again = m.body();
            assertEquals(Compression.named(name), m.compression());
            assertEquals(new String(m.json(), StandardCharsets.UTF_8),
                    new String(m.compression().decompress(again, 1 << 20), StandardCharsets.UTF_8));
            assertEquals(samples.at("/" + name + "/headers/compression").asText(), m.headers().get("compression"));
        }
    }

    @Test
    void aCompressionBombIsRefusedAtItsBound() {
        byte[] bomb = Compression.ZLIB.compress(new byte[10 << 20]);
        assertThrows(MessageTooLargeException.class, () -> Compression.ZLIB.decompress(bomb, 1 << 20));
        assertThrows(CeleryExceptions.ContentDisallowed.class, () -> Compression.named("zstd"));
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("1.5", SafeRepr.pythonFloat(1.5));
        assertEquals("1e+16", SafeRepr.pythonFloat(1e16));
        assertEquals("1234567890123456.0", SafeRepr.pythonFloat(1234567890123456.0));
        assertEquals("1e-05", SafeRepr.pythonFloat(1e-5));
        assertEquals("0.0001", SafeRepr.pythonFloat(1e-4));
        assertEquals("-2.5e+300", SafeRepr.pythonFloat(-2.5e300));
    }

    @Test
    void celeryExceptionsAreStoredUnderCeleryNames() {
        assertEquals("{\"exc_type\": \"TimeLimitExceeded\", \"exc_message\": [1.5], \"exc_module\": \"billiard.exceptions\"}",
                PythonJson.write(TaskResult.exception(new CeleryExceptions.TimeLimitExceeded(1.5))));
        assertEquals("{\"exc_type\": \"SoftTimeLimitExceeded\", \"exc_message\": [], \"exc_module\": \"billiard.exceptions\"}",
                PythonJson.write(TaskResult.exception(new CeleryExceptions.SoftTimeLimitExceeded())));
        assertEquals("{\"exc_type\": \"TaskRevokedError\", \"exc_message\": [\"revoked\"], \"exc_module\": \"celery.exceptions\"}",
                PythonJson.write(TaskResult.exception(new CeleryExceptions.TaskRevokedError("revoked"))));
        assertEquals("TypeError", TaskResult.exception(new app.growbin.runtime.TaskArguments.TaskArgumentException("x"))
                .get("exc_type").asText());
        assertEquals("builtins", TaskResult.exception(new app.growbin.runtime.TaskArguments.TaskArgumentException("x"))
                .get("exc_module").asText());
        assertEquals("{\"exc_type\": \"NotRegistered\", \"exc_message\": [\"t.nope\"], \"exc_module\": \"celery.exceptions\"}",
                PythonJson.write(TaskResult.exception(new app.growbin.runtime.TaskDispatcher.NotRegistered("t.nope"))));
    }

    static CeleryMessage decodeSample(JsonNode sample) {
        Map<String, Object> h = new LinkedHashMap<>();
        sample.get("headers").fields().forEachRemaining(e -> h.put(e.getKey(), amqpValue(e.getValue())));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType(sample.get("content_type").asText())
                .contentEncoding("utf-8").headers(h).build();
        return CeleryMessage.decode(props, Base64.getDecoder().decode(sample.get("body_base64").asText()), 1 << 20);
    }

    /** The types the Java AMQP client delivers: strings as LongString, integers, lists. */
    private static Object amqpValue(JsonNode v) {
        if (v.isTextual()) {
            return LongStringHelper.asLongString(v.asText());
        }
        if (v.isInt()) {
            return v.asInt();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Object> l = new java.util.ArrayList<>();
            v.forEach(x -> l.add(amqpValue(x)));
            return l;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        return null;
    }

    @Test
    void chainSignaturesRoundTrip() {
        Signature s = Signature.of("vision.classify", "q.vision", "img").withTaskId("t1");
        Signature back = Signature.fromJson(PythonJson.read(PythonJson.write(s.toJson())));
        assertEquals(s, back);
        assertEquals("{\"task\": \"vision.classify\", \"args\": [\"img\"], \"kwargs\": {}, \"options\": "
                + "{\"task_id\": \"t1\", \"queue\": \"q.vision\"}, \"subtask_type\": null, \"immutable\": false}", PythonJson.write(s.toJson()));
    }
}
