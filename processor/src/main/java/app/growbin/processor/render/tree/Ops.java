package app.growbin.processor.render.tree;

import app.growbin.processor.read.Quantity;
import app.growbin.processor.settings.ScalarText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
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

    private static final Op<String> TO_STRING = new Op<>("toString", String.class, Op.Form.TO_STRING);
    private static final Op<Integer> ADD = new Op<>("add", Integer.class, Op.Form.ADD);
    private static final Op<Boolean> NOT = new Op<>("not", Boolean.class, Op.Form.NOT);
    private static final Op<Boolean> GREATER = new Op<>("gt", Boolean.class, Op.Form.GREATER);
    private static final Op<Boolean> EQUAL = new Op<>("eq", Boolean.class, Op.Form.EQUAL);
    private static final Op<Boolean> NON_EMPTY = new Op<>("nonEmpty", Boolean.class, Op.Form.NON_EMPTY);
    private static final Op<Boolean> HAS_KEY = new Op<>("hasKey", Boolean.class, Op.Form.HAS_KEY);
    private static final Op<String> GET = new Op<>("get", String.class, Op.Form.GET);
    private static final Op<String> VERSION_LABEL = new Op<>("versionLabel", String.class, Op.Form.VERSION_LABEL);
    private static final Op<String> IMAGE = new Op<>("image", String.class, Op.Form.IMAGE);
    private static final Op<Boolean> BELOW_ONE_CPU = new Op<>("belowOneCpu", Boolean.class, Op.Form.BELOW_ONE_CPU);
    private static final Op<Boolean> MEMORY_AT_MOST = new Op<>("memoryAtMost", Boolean.class, Op.Form.MEMORY_AT_MOST);
    private static final Op<String> CONFIG_HASH = new Op<>("configHash", String.class, Op.Form.CONFIG_HASH);
    private static final Op<String> PERCENT = new Op<>("percent", String.class, Op.Form.PERCENT);
    private static final Op<SortedMap<String, String>> PUT_IF = new Op<>("putIf", STRING_MAP, Op.Form.PUT_IF);
    private static final Op<String> GET_OR_KEY = new Op<>("getOrKey", String.class, Op.Form.GET_OR_KEY);
    private static final Op<List<String>> UNIQUE_SORTED = new Op<>("uniqueSorted", STRING_LIST, Op.Form.UNIQUE_SORTED);

    /** What an operation computes in Java, on its arguments' values. */
    static Object evaluate(Op.Form form, String name, Object parameter, List<Object> a) {
        return switch (form) {
            case TO_STRING -> ScalarText.of(a.get(0));
            case ADD -> (Integer) a.get(0) + (Integer) a.get(1);
            case NOT -> !(Boolean) a.get(0);
            case GREATER -> (Integer) a.get(0) > (Integer) a.get(1);
            case EQUAL -> a.get(0).equals(a.get(1));
            case NON_EMPTY -> !isEmpty(a.get(0));
            case HAS_KEY -> ((Map<?, ?>) a.get(0)).containsKey(a.get(1));
            case GET -> ScalarText.of(((Map<?, ?>) a.get(0)).containsKey(a.get(1)) ? ((Map<?, ?>) a.get(0)).get(a.get(1)) : "");
            case VERSION_LABEL -> versionLabel((String) a.get(0));
            case IMAGE -> (((String) a.get(0)).isEmpty() ? "" : a.get(0) + "/") + a.get(1) + ":" + a.get(2);
            case BELOW_ONE_CPU -> belowOneCpu((String) a.get(0));
            case MEMORY_AT_MOST -> memoryAtMost((String) a.get(0), (Integer) a.get(1));
            case CONFIG_HASH -> configHash(stringMap(a.get(0)));
            case PERCENT -> BigDecimal.valueOf((Double) a.get(0)).movePointRight(2).stripTrailingZeros().toPlainString();
            case PUT_IF -> putIf((Boolean) a.get(0), stringMap(a.get(1)), (String) a.get(2), (String) a.get(3));
            case GET_OR_KEY -> getOrKey(stringMap(a.get(0)), (String) a.get(1));
            case UNIQUE_SORTED -> List.copyOf(new TreeSet<>(strings(a)));
            case CONCAT -> String.join("", strings(a));
            case POSITIVE -> (Double) a.get(0) > 0;
            case TRUNCATE -> truncate((String) a.get(0), (Integer) parameter);
            case REGEX_NUMBER -> ScalarText.number((Double) a.get(0)).replace(".", "\\\\.");
            case SINGLE_ENTRY -> Collections.unmodifiableSortedMap(new TreeMap<>(Map.of((String) a.get(0), (String) a.get(1))));
            case JUNCTION, TERNARY, DEFAULT, PRETTY_JSON -> throw new IllegalStateException(name + " of values not known now");
        };
    }

    /** The Go template (Sprig) command that computes the same, on its arguments' template operands. */
    static String template(Op.Form form, String name, Object parameter, List<String> a) {
        return switch (form) {
            case TO_STRING -> "(toString " + a.get(0) + ")";
            case ADD -> "(add " + a.get(0) + " " + a.get(1) + ")";
            case NOT -> "(not " + a.get(0) + ")";
            case GREATER -> "(gt " + a.get(0) + " " + a.get(1) + ")";
            case EQUAL -> "(eq " + a.get(0) + " " + a.get(1) + ")";
            case NON_EMPTY -> "(not (empty " + a.get(0) + "))";
            case HAS_KEY -> "(hasKey (default (dict) " + a.get(0) + ") " + a.get(1) + ")";
            case GET -> "(toString (get (default (dict) " + a.get(0) + ") " + a.get(1) + "))";
            case VERSION_LABEL -> "(regexReplaceAll \"[^A-Za-z0-9]+$\" (trunc 63 " + a.get(0) + ") \"\")";
            case IMAGE -> "(print (ternary (print " + a.get(0) + " \"/\") \"\" (ne " + a.get(0) + " \"\")) " + a.get(1) + " \":\" " + a.get(2) + ")";
            case BELOW_ONE_CPU -> "(eq (include \"growbin.belowOneCpu\" " + a.get(0) + ") \"true\")";
            case MEMORY_AT_MOST -> "(eq (include \"growbin.memoryAtMost\" (list " + a.get(0) + " " + a.get(1) + ")) \"true\")";
            case CONFIG_HASH -> "(include \"growbin.configHash\" " + a.get(0) + ")";
            case PERCENT -> "(toString (mulf " + a.get(0) + " 100))";
            case PUT_IF -> "(merge (dict) (ternary (dict " + a.get(2) + " " + a.get(3) + ") (dict) " + a.get(0) + ") " + a.get(1) + ")";
            case GET_OR_KEY -> "(default " + a.get(1) + " (toString (get (default (dict) " + a.get(0) + ") " + a.get(1) + ")))";
            case UNIQUE_SORTED -> "(sortAlpha (uniq (list " + String.join(" ", a) + ")))";
            case CONCAT -> "(print " + String.join(" ", a) + ")";
            case JUNCTION -> "(" + name + " " + String.join(" ", a) + ")";
            case TERNARY -> "(ternary " + a.get(1) + " " + a.get(2) + " " + a.get(0) + ")";
            case DEFAULT -> "(default " + a.get(1) + " " + a.get(0) + ")";
            case POSITIVE -> "(gt " + a.get(0) + " 0.0)";
            case TRUNCATE -> "(trunc " + parameter + " " + a.get(0) + ")";
            case REGEX_NUMBER -> "(replace \".\" \"\\\\\\\\.\" (toString " + a.get(0) + "))";
            case SINGLE_ENTRY -> "(dict " + a.get(0) + " " + a.get(1) + ")";
            case PRETTY_JSON -> JsonText.template((Node) parameter, a);
        };
    }

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
        return new Op<>("concat", String.class, Op.Form.CONCAT).apply(texts);
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
        return new Op<>(name, Boolean.class, Op.Form.JUNCTION).apply(open);
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
        return new Op<>("ternary", whenTrue.type(), Op.Form.TERNARY).apply(condition, whenTrue, whenFalse);
    }

    /** {@code value}, or {@code fallback} when it has none (Go's {@code default}: also when it is 0 or ""). */
    public static <T> Expr<T> orElse(Expr<T> value, Expr<T> fallback) {
        if (value.isLiteral()) {
            return value.value() != null ? value : fallback;
        }
        return new Op<>("default", value.type(), Op.Form.DEFAULT).apply(value, fallback);
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
        return new Op<>("positive", Boolean.class, Op.Form.POSITIVE).apply(number);
    }

    /** The first {@code length} characters of a text (a Grafana dashboard uid has at most 40). */
    public static Expr<String> truncate(Expr<String> text, int length) {
        return new Op<>("trunc", String.class, Op.Form.TRUNCATE, length).apply(text);
    }

    /** A number as text with its '.' escaped for a regular expression inside a PromQL string: 2.5 gives {@code 2\\.5}. */
    public static Expr<String> regexNumber(Expr<Double> number) {
        return new Op<>("regexNumber", String.class, Op.Form.REGEX_NUMBER).apply(number);
    }

    /** A map of one entry, {@code key: value} (a ConfigMap's data whose key is computed). */
    public static Expr<SortedMap<String, String>> singleEntry(Expr<String> key, Expr<String> value) {
        return new Op<>("dict", STRING_MAP, Op.Form.SINGLE_ENTRY).apply(key, value);
    }

    private static String truncate(String value, int length) {
        return value.length() > length ? value.substring(0, length) : value;
    }

    static String versionLabel(String tag) {
        String value = tag.length() > 63 ? tag.substring(0, 63) : tag;
        return value.replaceAll("[^A-Za-z0-9]+$", "");
    }

    static boolean belowOneCpu(String cpu) {
        Optional<BigDecimal> cores = Quantity.parse(cpu);
        return cores.isPresent() && cores.get().compareTo(BigDecimal.ONE) < 0;
    }

    static boolean memoryAtMost(String memory, int mebibytes) {
        Optional<BigDecimal> bytes = Quantity.parse(memory);
        return bytes.isPresent() && bytes.get().compareTo(BigDecimal.valueOf(mebibytes * 1024L * 1024L)) <= 0;
    }

    static String configHash(SortedMap<String, String> data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> entry : data.entrySet()) {
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(entry.getValue().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
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
        for (Object value : values) {
            strings.add((String) value);
        }
        return strings;
    }
}
