package app.growbin.processor.render.tree;

import app.growbin.processor.read.Quantity;
import app.growbin.processor.settings.ScalarText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The operations manifests compute from settings, each with its Java meaning and its Go template
 * (Sprig) form. Helm reads numbers from values as float64, so integer operands are converted with
 * {@code int} where settings are read ({@code ChartView}), and text with {@code toString}.
 */
public final class Ops {

    private Ops() {}

    @SuppressWarnings("unchecked")
    public static final Class<SortedMap<String, String>> STRING_MAP = (Class<SortedMap<String, String>>) (Class<?>) SortedMap.class;
    @SuppressWarnings("unchecked")
    public static final Class<List<String>> STRING_LIST = (Class<List<String>>) (Class<?>) List.class;

    private static final Op<String> TO_STRING = new Op<>("toString", String.class, a -> ScalarText.of(a.get(0)), a -> "(toString " + a.get(0) + ")");
    private static final Op<Integer> ADD = new Op<>("add", Integer.class, a -> (Integer) a.get(0) + (Integer) a.get(1),
            a -> "(add " + a.get(0) + " " + a.get(1) + ")");
    private static final Op<Boolean> NOT = new Op<>("not", Boolean.class, a -> !(Boolean) a.get(0), a -> "(not " + a.get(0) + ")");
    private static final Op<Boolean> GREATER = new Op<>("gt", Boolean.class, a -> (Integer) a.get(0) > (Integer) a.get(1),
            a -> "(gt " + a.get(0) + " " + a.get(1) + ")");
    private static final Op<Boolean> EQUAL = new Op<>("eq", Boolean.class, a -> a.get(0).equals(a.get(1)),
            a -> "(eq " + a.get(0) + " " + a.get(1) + ")");
    private static final Op<Boolean> NON_EMPTY = new Op<>("nonEmpty", Boolean.class, a -> !isEmpty(a.get(0)),
            a -> "(not (empty " + a.get(0) + "))");
    private static final Op<Boolean> HAS_KEY = new Op<>("hasKey", Boolean.class, a -> ((Map<?, ?>) a.get(0)).containsKey(a.get(1)),
            a -> "(hasKey (default (dict) " + a.get(0) + ") " + a.get(1) + ")");
    private static final Op<String> GET = new Op<>("get", String.class, a -> ScalarText.of(((Map<?, ?>) a.get(0)).containsKey(a.get(1)) ? ((Map<?, ?>) a.get(0)).get(a.get(1)) : ""),
            a -> "(toString (get (default (dict) " + a.get(0) + ") " + a.get(1) + "))");
    private static final Op<String> VERSION_LABEL = new Op<>("versionLabel", String.class, a -> versionLabel((String) a.get(0)),
            a -> "(regexReplaceAll \"[^A-Za-z0-9]+$\" (trunc 63 " + a.get(0) + ") \"\")");
    private static final Op<String> IMAGE = new Op<>("image", String.class,
            a -> (((String) a.get(0)).isEmpty() ? "" : a.get(0) + "/") + a.get(1) + ":" + a.get(2),
            a -> "(print (ternary (print " + a.get(0) + " \"/\") \"\" (ne " + a.get(0) + " \"\")) " + a.get(1) + " \":\" " + a.get(2) + ")");
    private static final Op<Boolean> BELOW_ONE_CPU = new Op<>("belowOneCpu", Boolean.class, a -> belowOneCpu((String) a.get(0)),
            a -> "(eq (include \"growbin.belowOneCpu\" " + a.get(0) + ") \"true\")");
    private static final Op<Boolean> MEMORY_AT_MOST = new Op<>("memoryAtMost", Boolean.class,
            a -> memoryAtMost((String) a.get(0), (Integer) a.get(1)),
            a -> "(eq (include \"growbin.memoryAtMost\" (list " + a.get(0) + " " + a.get(1) + ")) \"true\")");
    private static final Op<String> CONFIG_HASH = new Op<>("configHash", String.class, a -> configHash(stringMap(a.get(0))),
            a -> "(include \"growbin.configHash\" " + a.get(0) + ")");
    private static final Op<String> PERCENT = new Op<>("percent", String.class,
            a -> BigDecimal.valueOf((Double) a.get(0)).movePointRight(2).stripTrailingZeros().toPlainString(),
            a -> "(toString (mulf " + a.get(0) + " 100))");
    private static final Op<SortedMap<String, String>> PUT_IF = new Op<>("putIf", STRING_MAP, a -> putIf((Boolean) a.get(0), stringMap(a.get(1)), (String) a.get(2), (String) a.get(3)),
            a -> "(merge (dict) (ternary (dict " + a.get(2) + " " + a.get(3) + ") (dict) " + a.get(0) + ") " + a.get(1) + ")");
    private static final Op<String> GET_OR_KEY = new Op<>("getOrKey", String.class, a -> getOrKey(stringMap(a.get(0)), (String) a.get(1)),
            a -> "(default " + a.get(1) + " (toString (get (default (dict) " + a.get(0) + ") " + a.get(1) + ")))");
    private static final Op<List<String>> UNIQUE_SORTED = new Op<>("uniqueSorted", STRING_LIST,
            a -> List.copyOf(new TreeSet<>(strings(a))),
            a -> "(sortAlpha (uniq (list " + String.join(" ", a) + ")))");

    /** Text of a value: numbers as Go prints them ({@code 0.05}, {@code 1}, not {@code 1.0}). */
    public static Expr<String> string(Expr<?> value) {
        if (value.type() == String.class) {
            @SuppressWarnings("unchecked")
            Expr<String> text = (Expr<String>) value;
            return text;
        }
        return TO_STRING.apply(value);
    }

    /** The parts joined, each as {@link #string} gives it. */
    public static Expr<String> concat(Object... parts) {
        List<Expr<String>> texts = new ArrayList<>();
        for (Object part : parts) {
            texts.add(part instanceof Expr<?> expr ? string(expr) : Expr.text(String.valueOf(part)));
        }
        return new Op<>("concat", String.class, a -> String.join("", strings(a)), a -> "(print " + String.join(" ", a) + ")").apply(texts);
    }

    public static Expr<Integer> add(Expr<Integer> a, int b) {
        return ADD.apply(a, Expr.number(b));
    }

    public static Expr<Boolean> not(Expr<Boolean> a) {
        return NOT.apply(a);
    }

    /** True when all are; literals are decided now (a known false decides the whole). */
    @SafeVarargs
    public static Expr<Boolean> and(Expr<Boolean>... terms) {
        return junction(List.of(terms), false, "and");
    }

    public static Expr<Boolean> and(List<Expr<Boolean>> terms) {
        return junction(terms, false, "and");
    }

    /** True when any is; literals are decided now (a known true decides the whole). */
    @SafeVarargs
    public static Expr<Boolean> or(Expr<Boolean>... terms) {
        return junction(List.of(terms), true, "or");
    }

    public static Expr<Boolean> or(List<Expr<Boolean>> terms) {
        return junction(terms, true, "or");
    }

    private static Expr<Boolean> junction(List<Expr<Boolean>> terms, boolean decisive, String name) {
        List<Expr<Boolean>> open = new ArrayList<>();
        for (Expr<Boolean> term : terms) {
            if (term.isLiteral()) {
                if (Boolean.TRUE.equals(term.value()) == decisive) {
                    return Expr.bool(decisive);
                }
            } else {
                open.add(term);
            }
        }
        if (open.isEmpty()) {
            return Expr.bool(!decisive);
        }
        if (open.size() == 1) {
            return open.get(0);
        }
        return new Op<>(name, Boolean.class, a -> {
            throw new IllegalStateException(name + " of unknown terms");
        }, a -> "(" + name + " " + String.join(" ", a) + ")").apply(open);
    }

    public static Expr<Boolean> greaterThan(Expr<Integer> a, int b) {
        return GREATER.apply(a, Expr.number(b));
    }

    public static Expr<Boolean> equal(Expr<String> a, String b) {
        return EQUAL.apply(a, Expr.text(b));
    }

    /** Whether two texts are the same; known now when both are, or when they are the same expression. */
    public static Expr<Boolean> equal(Expr<String> a, Expr<String> b) {
        return a.equals(b) && !(a.isLiteral() && a.value() == null) ? Expr.bool(true) : EQUAL.apply(a, b);
    }

    /** {@code map} with {@code key: value} added (replacing an entry of that key) when the condition holds. */
    public static Expr<SortedMap<String, String>> putIf(Expr<Boolean> condition, Expr<SortedMap<String, String>> map, String key, Expr<String> value) {
        if (condition.isLiteral() && !Boolean.TRUE.equals(condition.value())) {
            return map;
        }
        return PUT_IF.apply(condition, map, Expr.text(key), value);
    }

    /** The entry of {@code map} at {@code key}, or the key itself when the map has no (or an empty) entry for it. */
    public static Expr<String> getOrKey(Expr<SortedMap<String, String>> map, Expr<String> key) {
        return GET_OR_KEY.apply(map, key);
    }

    /** An optional text without a value as "" (Go's {@code default ""}), so that operations on it keep their result. */
    public static Expr<String> orEmpty(Expr<String> text) {
        return text.isLiteral() && text.value() == null ? Expr.text("") : text;
    }

    /** A value that is there: not nothing, not "", not 0, not an empty map. */
    public static Expr<Boolean> nonEmpty(Expr<?> value) {
        return NON_EMPTY.apply(value);
    }

    public static Expr<Boolean> hasKey(Expr<SortedMap<String, String>> map, String key) {
        return HAS_KEY.apply(map, Expr.text(key));
    }

    /** The entry of {@code map}, or "" without one. */
    public static Expr<String> get(Expr<SortedMap<String, String>> map, String key) {
        return GET.apply(map, Expr.text(key));
    }

    /** {@code condition ? whenTrue : whenFalse}. */
    public static <T> Expr<T> choose(Expr<Boolean> condition, Expr<T> whenTrue, Expr<T> whenFalse) {
        if (condition.isLiteral()) {
            return Boolean.TRUE.equals(condition.value()) ? whenTrue : whenFalse;
        }
        return new Op<>("ternary", whenTrue.type(), a -> {
            throw new IllegalStateException("ternary of an unknown condition");
        }, a -> "(ternary " + a.get(1) + " " + a.get(2) + " " + a.get(0) + ")").apply(condition, whenTrue, whenFalse);
    }

    /** {@code value}, or {@code fallback} when it has none (Go's {@code default}: also when it is 0 or ""). */
    public static <T> Expr<T> orElse(Expr<T> value, Expr<T> fallback) {
        if (value.isLiteral()) {
            return value.value() != null ? value : fallback;
        }
        return new Op<>("default", value.type(), a -> {
            throw new IllegalStateException("default of an unknown value");
        }, a -> "(default " + a.get(1) + " " + a.get(0) + ")").apply(value, fallback);
    }

    /** The image tag as a label value: at most 63 characters, ending in a letter or digit. */
    public static Expr<String> versionLabel(Expr<String> tag) {
        return VERSION_LABEL.apply(tag);
    }

    /** {@code registry/repository:tag}, the registry left out when empty. */
    public static Expr<String> image(Expr<String> registry, Expr<String> repository, Expr<String> tag) {
        return IMAGE.apply(registry, repository, tag);
    }

    /** Whether a CPU quantity is below one core. */
    public static Expr<Boolean> belowOneCpu(Expr<String> cpu) {
        return BELOW_ONE_CPU.apply(cpu);
    }

    /** Whether a memory quantity is at most {@code mebibytes} Mi (an invalid quantity is not). */
    public static Expr<Boolean> memoryAtMost(Expr<String> memory, int mebibytes) {
        return MEMORY_AT_MOST.apply(memory, Expr.number(mebibytes));
    }

    /** 16 hex digits of SHA-256 over the sorted entries (key NUL value NUL): changes with the ConfigMap's data. */
    public static Expr<String> configHash(Expr<SortedMap<String, String>> data) {
        return CONFIG_HASH.apply(data);
    }

    /** A fraction as a percentage: 0.05 gives "5". */
    public static Expr<String> percent(Expr<Double> fraction) {
        return PERCENT.apply(fraction);
    }

    /** The distinct values, sorted. */
    public static Expr<List<String>> uniqueSorted(List<Expr<String>> values) {
        return UNIQUE_SORTED.apply(values);
    }

    /** Whether a number is above 0 (an objective that is set). */
    public static Expr<Boolean> positive(Expr<Double> number) {
        return new Op<>("positive", Boolean.class, a -> (Double) a.get(0) > 0, a -> "(gt " + a.get(0) + " 0.0)").apply(number);
    }

    /** The first {@code length} characters of a text (a Grafana dashboard uid has at most 40). */
    public static Expr<String> truncate(Expr<String> text, int length) {
        return new Op<>("trunc", String.class, a -> {
            String value = (String) a.get(0);
            return value.length() > length ? value.substring(0, length) : value;
        }, a -> "(trunc " + length + " " + a.get(0) + ")").apply(text);
    }

    /** A number as text with its '.' escaped for a regular expression inside a PromQL string: 2.5 gives {@code 2\\.5}. */
    public static Expr<String> regexNumber(Expr<Double> number) {
        return new Op<>("regexNumber", String.class, a -> ScalarText.number((Double) a.get(0)).replace(".", "\\\\."),
                a -> "(replace \".\" \"\\\\\\\\.\" (toString " + a.get(0) + "))").apply(number);
    }

    /** A map of one entry, {@code key: value} (a ConfigMap's data whose key is computed). */
    public static Expr<SortedMap<String, String>> singleEntry(Expr<String> key, Expr<String> value) {
        return new Op<>("dict", STRING_MAP, a -> java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(Map.of((String) a.get(0), (String) a.get(1)))),
                a -> "(dict " + a.get(0) + " " + a.get(1) + ")").apply(key, value);
    }

    static String versionLabel(String tag) {
        String value = tag.length() > 63 ? tag.substring(0, 63) : tag;
        return value.replaceAll("[^A-Za-z0-9]+$", "");
    }

    static boolean belowOneCpu(String cpu) {
        return Quantity.parse(cpu).filter(cores -> cores.compareTo(BigDecimal.ONE) < 0).isPresent();
    }

    static boolean memoryAtMost(String memory, int mebibytes) {
        return Quantity.parse(memory).filter(bytes -> bytes.compareTo(BigDecimal.valueOf(mebibytes * 1024L * 1024L)) <= 0).isPresent();
    }

    static String configHash(SortedMap<String, String> data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            data.forEach((key, value) -> {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static SortedMap<String, String> putIf(boolean condition, SortedMap<String, String> map, String key, String value) {
        if (!condition) {
            return map;
        }
        SortedMap<String, String> copy = new java.util.TreeMap<>(map);
        copy.put(key, value);
        return java.util.Collections.unmodifiableSortedMap(copy);
    }

    static String getOrKey(SortedMap<String, String> map, String key) {
        String value = map.get(key);
        return value == null || value.isEmpty() ? key : value;
    }

    /** Empty as Go templates see it: nothing, "", 0, or a map without entries. */
    private static boolean isEmpty(Object value) {
        return value == null || value instanceof String text && text.isEmpty() || value instanceof Map<?, ?> map && map.isEmpty()
                || value instanceof Integer number && number == 0;
    }

    @SuppressWarnings("unchecked")
    private static SortedMap<String, String> stringMap(Object value) {
        return (SortedMap<String, String>) value;
    }

    private static List<String> strings(List<Object> values) {
        List<String> strings = new ArrayList<>();
        values.forEach(v -> strings.add((String) v));
        return strings;
    }
}
