package app.growbin.runtime.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the two text formats Prometheus scrapes: the Prometheus text format 0.0.4 and
 * OpenMetrics 1.0 ({@code application/openmetrics-text; version=1.0.0}). It refuses what Prometheus'
 * own parsers refuse (bad names, escapes or numbers, duplicate labels or series, metadata after
 * samples, interleaved families, a missing {@code # EOF} in OpenMetrics) and what the formats
 * forbid beyond that (exemplars outside counter totals and histogram buckets, OpenMetrics counter
 * families named {@code _total}, histogram buckets not cumulative or without {@code +Inf} = count).
 * Tests then look series up by name and exact label set, whatever the label order of the text.
 */
public final class MetricsText {

    public enum Format { PROMETHEUS_0_0_4, OPENMETRICS_1_0 }

    public record Exemplar(Map<String, String> labels, double value) {}

    public record Sample(String name, Map<String, String> labels, double value, Exemplar exemplar) {}

    public record Family(String name, String type, String help, List<Sample> samples) {}

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> PROMETHEUS_TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Set<String> OPENMETRICS_TYPES = Set.of("counter", "gauge", "histogram", "gaugehistogram",
            "stateset", "info", "summary", "unknown");

    private final Format format;
    private final Map<String, Family> families = new LinkedHashMap<>();

    private MetricsText(Format format) {
        this.format = format;
    }

    public static MetricsText parse(Format format, String text) {
        MetricsText m = new MetricsText(format);
        m.read(text);
        return m;
    }

    /** By the {@code Content-Type} of the answer. */
    public static MetricsText parse(String contentType, String text) {
        return parse(contentType.startsWith("application/openmetrics-text") ? Format.OPENMETRICS_1_0 : Format.PROMETHEUS_0_0_4, text);
    }

    public Map<String, Family> families() {
        return families;
    }

    /** Every sample, in the order of the text. */
    public List<Sample> samples() {
        List<Sample> all = new ArrayList<>();
        families.values().forEach(f -> all.addAll(f.samples()));
        return all;
    }

    /** The samples named {@code name} (such as {@code http_requests_total} or {@code x_bucket}). */
    public List<Sample> samples(String name) {
        return samples().stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sample with exactly these labels. */
    public Optional<Sample> sample(String name, Map<String, String> labels) {
        return samples(name).stream().filter(s -> s.labels().equals(labels)).findFirst();
    }

    /** Its value, or NaN when there is no such series. */
    public double value(String name, Map<String, String> labels) {
        return sample(name, labels).map(Sample::value).orElse(Double.NaN);
    }

    /** The type of the family a sample name belongs to (OpenMetrics counter {@code x} holds {@code x_total}). */
    public String typeOf(String sampleName) {
        Family f = familyOf(sampleName);
        return f == null ? null : f.type();
    }

    private Family familyOf(String sampleName) {
        if (families.containsKey(sampleName)) {
            return families.get(sampleName);
        }
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info")) {
            if (sampleName.endsWith(suffix)) {
                Family f = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------ parsing

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> helps = new LinkedHashMap<>();
    private final Set<String> seriesSeen = new LinkedHashSet<>();
    private final Set<String> closedFamilies = new LinkedHashSet<>();
    private String currentFamily;

    private void read(String text) {
        boolean om = format == Format.OPENMETRICS_1_0;
        if (!text.endsWith("\n")) {
            throw fail(0, "the text does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        boolean eof = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            if (eof) {
                throw fail(n, "content after # EOF");
            }
            if (line.isEmpty()) {
                if (om) {
                    throw fail(n, "empty line (not allowed in OpenMetrics)");
                }
                continue;
            }
            if (om && line.equals("# EOF")) {
                eof = true;
                continue;
            }
            if (line.startsWith("#")) {
                metadata(n, line, om);
            } else {
                sample(n, line, om);
            }
        }
        if (om && !eof) {
            throw fail(lines.length, "OpenMetrics text without the closing # EOF");
        }
        for (Family f : families.values()) {
            check(f);
        }
    }

    private void metadata(int n, String line, boolean om) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#")) {
            if (om) {
                throw fail(n, "unknown comment (OpenMetrics allows only HELP, TYPE, UNIT, EOF): " + line);
            }
            return; // a plain comment
        }
        String keyword = parts[1];
        String name = parts[2];
        switch (keyword) {
            case "HELP", "TYPE", "UNIT" -> { }
            default -> {
                if (om) {
                    throw fail(n, "unknown metadata " + keyword);
                }
                return;
            }
        }
        requireName(n, name);
        String rest = parts.length > 3 ? parts[3] : "";
        openFamily(n, name);
        Family f = families.get(name);
        if (!f.samples().isEmpty()) {
            throw fail(n, keyword + " of " + name + " after its samples");
        }
        switch (keyword) {
            case "TYPE" -> {
                Set<String> allowed = om ? OPENMETRICS_TYPES : PROMETHEUS_TYPES;
                if (!allowed.contains(rest)) {
                    throw fail(n, "unknown type " + rest);
                }
                if (types.containsKey(name)) {
                    throw fail(n, "second TYPE for " + name);
                }
                if (om && rest.equals("counter") && name.endsWith("_total")) {
                    throw fail(n, "OpenMetrics counter family " + name + " must not end in _total");
                }
                types.put(name, rest);
            }
            case "HELP" -> {
                if (helps.containsKey(name)) {
                    throw fail(n, "second HELP for " + name);
                }
                unescape(n, rest, false);
                helps.put(name, rest);
            }
            default -> {
                if (!om) {
                    throw fail(n, "UNIT is OpenMetrics only");
                }
                if (!rest.isEmpty() && !name.endsWith("_" + rest)) {
                    throw fail(n, "unit " + rest + " is not the suffix of " + name);
                }
            }
        }
        families.put(name, new Family(name, types.getOrDefault(name, om ? "unknown" : "untyped"),
                helps.get(name), f.samples()));
    }

    /** Metadata or a sample of {@code name} starts or continues its family; an earlier family must not come back. */
    private void openFamily(int n, String name) {
        if (name.equals(currentFamily)) {
            return;
        }
        if (closedFamilies.contains(name) || (families.containsKey(name) && !name.equals(currentFamily))) {
            throw fail(n, "the lines of " + name + " are not together");
        }
        if (currentFamily != null) {
            closedFamilies.add(currentFamily);
        }
        currentFamily = name;
        families.put(name, new Family(name, format == Format.OPENMETRICS_1_0 ? "unknown" : "untyped", null, new ArrayList<>()));
    }

    private void sample(int n, String line, boolean om) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(n, name);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(n, line, i, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw fail(n, "no value: " + line);
        }
        String rest = line.substring(i + 1);
        Exemplar exemplar = null;
        int hash = rest.indexOf(" # ");
        if (hash >= 0) {
            if (!om) {
                throw fail(n, "exemplars are OpenMetrics only: " + line);
            }
            exemplar = exemplar(n, rest.substring(hash + 3));
            rest = rest.substring(0, hash);
        }
        String[] valueAndTime = rest.split(" ", -1);
        if (valueAndTime.length > 2) {
            throw fail(n, "more than a value and a timestamp: " + line);
        }
        double value = number(n, valueAndTime[0]);
        if (valueAndTime.length == 2) {
            number(n, valueAndTime[1]);
        }
        String familyName = familyName(name);
        openFamily(n, familyName);
        Family f = families.get(familyName);
        String type = f.type();
        if (exemplar != null && !(type.equals("counter") && name.endsWith("_total")
                || type.equals("histogram") && name.endsWith("_bucket"))) {
            throw fail(n, "an exemplar on " + name + " (a " + type + "): only counter totals and histogram buckets have them");
        }
        if (om && type.equals("counter") && !(name.equals(familyName + "_total") || name.equals(familyName + "_created"))) {
            throw fail(n, "OpenMetrics counter " + familyName + " has sample " + name);
        }
        if (!om && type.equals("counter") && !name.equals(familyName)) {
            throw fail(n, "counter " + familyName + " has sample " + name);
        }
        if (type.equals("histogram") && !Set.of(familyName + "_bucket", familyName + "_sum", familyName + "_count",
                familyName + "_created").contains(name)) {
            throw fail(n, "histogram " + familyName + " has sample " + name);
        }
        if (name.endsWith("_bucket") && type.equals("histogram") && !labels.containsKey("le")) {
            throw fail(n, "bucket without le: " + line);
        }
        if ((type.equals("counter") || name.endsWith("_bucket") || name.endsWith("_count")) && (value < 0 || Double.isNaN(value))) {
            throw fail(n, "a negative or NaN count: " + line);
        }
        if (!seriesSeen.add(name + labels)) {
            throw fail(n, "duplicate series " + name + labels);
        }
        f.samples().add(new Sample(name, Map.copyOf(labels), value, exemplar));
    }

    /** The family a sample belongs to: a declared family whose name it has, or whose name plus a suffix of its type it has. */
    private String familyName(String sample) {
        if (types.containsKey(sample) && !(format == Format.OPENMETRICS_1_0 && types.get(sample).equals("counter"))) {
            return sample;
        }
        if (currentFamily != null && sample.startsWith(currentFamily)) {
            String suffix = sample.substring(currentFamily.length());
            String type = types.getOrDefault(currentFamily, "");
            boolean fits = switch (type) {
                case "counter" -> suffix.equals("_total") || suffix.equals("_created");
                case "histogram" -> Set.of("_bucket", "_sum", "_count", "_created").contains(suffix);
                case "summary" -> Set.of("_sum", "_count", "_created").contains(suffix);
                case "info" -> suffix.equals("_info");
                case "gaugehistogram" -> Set.of("_bucket", "_gsum", "_gcount").contains(suffix);
                default -> false;
            };
            if (fits) {
                return currentFamily;
            }
        }
        return sample;
    }

    private int labels(int n, String line, int open, Map<String, String> into) {
        int i = open + 1;
        while (true) {
            if (i >= line.length()) {
                throw fail(n, "unterminated labels: " + line);
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                throw fail(n, "label without =: " + line);
            }
            String label = line.substring(i, eq);
            if (!LABEL_NAME.matcher(label).matches()) {
                throw fail(n, "bad label name '" + label + "'");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                throw fail(n, "label value not quoted: " + line);
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= line.length()) {
                    throw fail(n, "unterminated label value: " + line);
                }
                char c = line.charAt(j);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char e = j + 1 < line.length() ? line.charAt(j + 1) : ' ';
                    switch (e) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw fail(n, "bad escape \\" + e + " in " + line);
                    }
                    j += 2;
                } else {
                    value.append(c);
                    j++;
                }
            }
            if (into.put(label, value.toString()) != null) {
                throw fail(n, "label " + label + " twice: " + line);
            }
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
                if (format == Format.OPENMETRICS_1_0 && i < line.length() && line.charAt(i) == '}') {
                    throw fail(n, "trailing comma in labels (not allowed in OpenMetrics): " + line);
                }
            } else if (i < line.length() && line.charAt(i) != '}') {
                throw fail(n, "expected , or } after a label: " + line);
            }
        }
    }

    private Exemplar exemplar(int n, String text) {
        if (!text.startsWith("{")) {
            throw fail(n, "exemplar without labels: " + text);
        }
        Map<String, String> labels = new TreeMap<>();
        int i = labels(n, text, 0, labels);
        int chars = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            chars += e.getKey().codePointCount(0, e.getKey().length()) + e.getValue().codePointCount(0, e.getValue().length());
        }
        if (chars > 128) {
            throw fail(n, "exemplar labels longer than 128 characters: " + text);
        }
        if (i >= text.length() || text.charAt(i) != ' ') {
            throw fail(n, "exemplar without a value: " + text);
        }
        String[] valueAndTime = text.substring(i + 1).split(" ", -1);
        if (valueAndTime.length > 2) {
            throw fail(n, "exemplar with more than a value and a timestamp: " + text);
        }
        double value = number(n, valueAndTime[0]);
        if (valueAndTime.length == 2) {
            number(n, valueAndTime[1]);
        }
        return new Exemplar(Map.copyOf(labels), value);
    }

    private void check(Family f) {
        if (!f.type().equals("histogram")) {
            return;
        }
        Map<Map<String, String>, List<Sample>> bySeries = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            if (s.name().endsWith("_bucket")) {
                Map<String, String> series = new TreeMap<>(s.labels());
                series.remove("le");
                bySeries.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(new TreeMap<>(s.labels()), s.value());
            }
        }
        for (Map.Entry<Map<String, String>, List<Sample>> e : bySeries.entrySet()) {
            double lastLe = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample b : e.getValue()) {
                double le = number(0, b.labels().get("le"));
                if (le <= lastLe) {
                    throw fail(0, f.name() + e.getKey() + ": bucket le=" + b.labels().get("le") + " not increasing");
                }
                if (b.value() < lastCount) {
                    throw fail(0, f.name() + e.getKey() + ": bucket counts not cumulative at le=" + b.labels().get("le"));
                }
                lastLe = le;
                lastCount = b.value();
            }
            if (lastLe != Double.POSITIVE_INFINITY) {
                throw fail(0, f.name() + e.getKey() + ": no +Inf bucket");
            }
            Double count = counts.get(e.getKey());
            if (count == null || count != lastCount) {
                throw fail(0, f.name() + e.getKey() + ": _count " + count + " is not the +Inf bucket " + lastCount);
            }
        }
    }

    private double number(int n, String s) {
        switch (s) {
            case "+Inf", "Inf" -> { return Double.POSITIVE_INFINITY; }
            case "-Inf" -> { return Double.NEGATIVE_INFINITY; }
            case "NaN" -> { return Double.NaN; }
            default -> { }
        }
        if (s.isEmpty() || !s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            throw fail(n, "not a number: '" + s + "'");
        }
        return Double.parseDouble(s);
    }

    private void requireName(int n, String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw fail(n, "bad metric name '" + name + "'");
        }
    }

    private static void unescape(int n, String help, boolean quotes) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                char e = i + 1 < help.length() ? help.charAt(i + 1) : ' ';
                if (e != '\\' && e != 'n' && !(quotes && e == '"') && e != '"') {
                    throw new IllegalArgumentException("line " + n + ": bad escape \\" + e + " in HELP " + help);
                }
                i++;
            }
        }
    }

    private IllegalArgumentException fail(int line, String message) {
        return new IllegalArgumentException(format + (line > 0 ? " line " + line : "") + ": " + message);
    }
}
