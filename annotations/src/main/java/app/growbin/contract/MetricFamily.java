package app.growbin.contract;

import java.util.List;

/**
 * One metric the runtime exposes and the generated rules may select.
 *
 * @param name the name as scraped, such as {@code http_requests_total}
 * @param type how Prometheus reads it
 * @param help the HELP text
 * @param labels the label names, in the order the runtime gives values
 */
public record MetricFamily(String name, Type type, String help, List<String> labels) {

    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    public MetricFamily {
        labels = List.copyOf(labels);
    }

    /** A histogram's bucket series, {@code <name>_bucket}, which carries the extra label {@code le}. */
    public String bucketSeries() {
        if (type != Type.HISTOGRAM) {
            throw new IllegalStateException(name + " is a " + type + ", not a histogram");
        }
        return name + "_bucket";
    }

    public String[] labelArray() {
        return labels.toArray(String[]::new);
    }
}
