package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Celery 5.2's {@code celery.utils.saferepr.saferepr(o, maxlen, maxlevels=3)} for JSON values: the
 * truncated preview Celery writes into the {@code argsrepr} and {@code kwargsrepr} headers (at most
 * about 1024 characters, {@code app.amqp.argsrepr_maxsize}), so the headers stay far below the AMQP
 * frame limit whatever the arguments. A port of its token stream, so the text is the same as
 * Python's: strings quoted with {@code '} (only {@code '} escaped), numbers as Python prints them,
 * containers deeper than three levels as {@code [...]}, and {@code ', ...'} where the length ran out.
 */
public final class SafeRepr {

    /** Celery's {@code argsrepr_maxsize} and {@code kwargsrepr_maxsize}. */
    public static final int CELERY_MAXLEN = 1024;
    private static final int MAX_LEVELS = 3;

    private SafeRepr() {}

    private record Literal(String value, boolean truncate, int direction) {}

    private record Key(String value) {}

    private record Quoted(String value) {}

    private static final Literal DICT_START = new Literal("{", false, 1);
    private static final Literal DICT_KVSEP = new Literal(": ", true, 0);
    private static final Literal DICT_END = new Literal("}", false, -1);
    private static final Literal LIST_START = new Literal("[", false, 1);
    private static final Literal LIST_END = new Literal("]", false, -1);
    private static final Literal LIST_SEP = new Literal(", ", true, 0);

    public static String of(JsonNode value) {
        return of(value, CELERY_MAXLEN);
    }

    public static String of(JsonNode value, int maxlen) {
        StringBuilder out = new StringBuilder();
        Deque<Object> stream = new ArrayDeque<>();
        stream.add(value);
        int level = 0;
        int left = maxlen;
        while (!stream.isEmpty()) {
            Object token = stream.pollFirst();
            String text;
            if (token instanceof Literal l) {
                level += l.direction();
                text = l.value();
            } else if (token instanceof Key k) {
                text = quoted(k.value(), left);
            } else if (token instanceof Quoted q) {
                text = quoted(q.value(), left);
            } else {
                JsonNode n = (JsonNode) token;
                if (n.isArray() || n.isObject()) {
                    Literal start = n.isArray() ? LIST_START : DICT_START;
                    Literal end = n.isArray() ? LIST_END : DICT_END;
                    if (level >= MAX_LEVELS) {
                        text = start.value() + "..." + end.value();
                    } else {
                        expand(n, start, end, stream);
                        continue;
                    }
                } else if (n.isTextual()) {
                    stream.addFirst(new Quoted(n.textValue()));
                    continue;
                } else {
                    text = truncate(scalar(n), left);
                }
            }
            if (left <= 0) {
                // Celery checks the budget before it prints a token; that token is dropped
                out.append(", ...");
                for (Object rest : stream) {
                    if (rest instanceof Literal l && !l.truncate()) {
                        out.append(l.value());
                    }
                }
                return out.toString();
            }
            out.append(text);
            left -= text.length();
        }
        return out.toString();
    }

    private static void expand(JsonNode n, Literal start, Literal end, Deque<Object> stream) {
        Deque<Object> items = new ArrayDeque<>();
        items.add(start);
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                items.add(n.get(i));
                if (i < n.size() - 1) {
                    items.add(LIST_SEP);
                }
            }
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                items.add(new Key(e.getKey()));
                items.add(DICT_KVSEP);
                items.add(e.getValue());
                if (it.hasNext()) {
                    items.add(LIST_SEP);
                }
            }
        }
        items.add(end);
        while (!items.isEmpty()) {
            stream.addFirst(items.pollLast());
        }
    }

    /** {@code "'{}'".format(truncate(val, maxlen).replace("'", "\\'"))} */
    private static String quoted(String s, int maxlen) {
        return "'" + truncate(s, maxlen).replace("'", "\\'") + "'";
    }

    /** Celery's {@code truncate}: cut at maxlen, back to the last space, then {@code ...}. */
    static String truncate(String s, int maxlen) {
        if (maxlen > 0 && s.length() >= maxlen) {
            String head = s.substring(0, maxlen);
            int space = head.lastIndexOf(' ');
            return (space >= 0 ? head.substring(0, space) : head) + "...";
        }
        return s;
    }

    private static String scalar(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "None";
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? "True" : "False";
        }
        if (n.isFloatingPointNumber()) {
            return pythonFloat(n.doubleValue());
        }
        return n.asText();
    }

    /** Python's {@code repr(float)}: the shortest digits, exponent form below 1e-4 and from 1e16. */
    public static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = b.unscaledValue().toString();
        int decpt = digits.length() - b.scale(); // value = 0.digits * 10^decpt
        String sign = d < 0 ? "-" : "";
        if (decpt > -4 && decpt <= 16) {
            String plain;
            if (decpt <= 0) {
                plain = "0." + "0".repeat(-decpt) + digits;
            } else if (decpt >= digits.length()) {
                plain = digits + "0".repeat(decpt - digits.length()) + ".0";
            } else {
                plain = digits.substring(0, decpt) + "." + digits.substring(decpt);
            }
            return sign + plain;
        }
        int exp = decpt - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
