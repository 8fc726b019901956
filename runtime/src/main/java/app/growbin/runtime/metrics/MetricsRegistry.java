package app.growbin.runtime.metrics;

import app.growbin.contract.MetricFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A small, dependency-free Prometheus registry: counters, gauges and histograms with labels,
 * exposed in the text format 0.0.4. Label sets are kept in sorted order so the output is stable.
 */
public final class MetricsRegistry {

    /** Prometheus' default buckets, in seconds. */
    public static final double[] DEFAULT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

    /** The counter of a family of the runtime contract. */
    public Counter counter(MetricFamily family) {
        requireType(family, MetricFamily.Type.COUNTER);
        return counter(family.name(), family.help(), family.labelArray());
    }

    /** The gauge of a family of the runtime contract. */
    public Gauge gauge(MetricFamily family) {
        requireType(family, MetricFamily.Type.GAUGE);
        return gauge(family.name(), family.help(), family.labelArray());
    }

    /** The histogram of a family of the runtime contract. */
    public Histogram histogram(MetricFamily family, double[] buckets) {
        requireType(family, MetricFamily.Type.HISTOGRAM);
        return histogram(family.name(), family.help(), buckets, family.labelArray());
    }

    private static void requireType(MetricFamily family, MetricFamily.Type type) {
        if (family.type() != type) {
            throw new IllegalArgumentException(family.name() + " is a " + family.type() + ", not a " + type);
        }
    }

    public Counter counter(String name, String help, String... labelNames) {
        return (Counter) metrics.computeIfAbsent(name, n -> new Counter(n, help, labelNames));
    }

    public Gauge gauge(String name, String help, String... labelNames) {
        return (Gauge) metrics.computeIfAbsent(name, n -> new Gauge(n, help, labelNames));
    }

    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return (Histogram) metrics.computeIfAbsent(name, n -> new Histogram(n, help, buckets, labelNames));
    }

    /** The whole registry in the Prometheus text format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Metric m : metrics.values()) {
            m.write(out);
        }
        return out.toString();
    }

    /** Common shape: a name, help, label names and one child per label-value tuple. */
    public abstract static class Metric {
        final String name;
        final String help;
        final String[] labelNames;
        final Map<List<String>, Object> children = new ConcurrentHashMap<>();

        Metric(String name, String help, String[] labelNames) {
            this.name = name;
            this.help = help;
            this.labelNames = labelNames.clone();
        }

        abstract String type();

        abstract Object newChild();

        abstract void writeChild(StringBuilder out, String labels, Object child);

        Object child(String... labelValues) {
            if (labelValues.length != labelNames.length) {
                throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labelNames));
            }
            return children.computeIfAbsent(List.of(labelValues), k -> newChild());
        }

        void write(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
            List<List<String>> keys = new ArrayList<>(children.keySet());
            keys.sort((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
            for (List<String> key : keys) {
                writeChild(out, labels(key, null, null), children.get(key));
            }
        }

        String labels(List<String> values, String extraName, String extraValue) {
            if (values.isEmpty() && extraName == null) {
                return "";
            }
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(labelNames[i]).append("=\"").append(escape(values.get(i))).append('"');
            }
            if (extraName != null) {
                if (!values.isEmpty()) {
                    b.append(',');
                }
                b.append(extraName).append("=\"").append(extraValue).append('"');
            }
            return b.append('}').toString();
        }
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String format(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    public static final class Counter extends Metric {
        Counter(String name, String help, String[] labelNames) {
            super(name, help, labelNames);
        }

        @Override String type() { return "counter"; }

        @Override Object newChild() { return new DoubleAdder(); }

        public void inc(String... labelValues) {
            ((DoubleAdder) child(labelValues)).add(1);
        }

        public void add(double amount, String... labelValues) {
            ((DoubleAdder) child(labelValues)).add(amount);
        }

        public double value(String... labelValues) {
            return ((DoubleAdder) child(labelValues)).sum();
        }

        @Override
        void writeChild(StringBuilder out, String labels, Object child) {
            out.append(name).append(labels).append(' ').append(format(((DoubleAdder) child).sum())).append('\n');
        }
    }

    public static final class Gauge extends Metric {
        Gauge(String name, String help, String[] labelNames) {
            super(name, help, labelNames);
        }

        @Override String type() { return "gauge"; }

        @Override Object newChild() { return new GaugeChild(); }

        public void inc(String... labelValues) {
            ((GaugeChild) child(labelValues)).adder.add(1);
        }

        public void dec(String... labelValues) {
            ((GaugeChild) child(labelValues)).adder.add(-1);
        }

        /** A value read at scrape time, such as a queue depth. */
        public void bind(Supplier<Double> supplier, String... labelValues) {
            ((GaugeChild) child(labelValues)).supplier = supplier;
        }

        public double value(String... labelValues) {
            return ((GaugeChild) child(labelValues)).get();
        }

        @Override
        void writeChild(StringBuilder out, String labels, Object child) {
            double v = ((GaugeChild) child).get();
            if (!Double.isNaN(v)) {
                out.append(name).append(labels).append(' ').append(format(v)).append('\n');
            }
        }

        static final class GaugeChild {
            final DoubleAdder adder = new DoubleAdder();
            volatile Supplier<Double> supplier;

            double get() {
                Supplier<Double> s = supplier;
                if (s == null) {
                    return adder.sum();
                }
                try {
                    Double v = s.get();
                    return v == null ? Double.NaN : v;
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }
        }
    }

    public static final class Histogram extends Metric {
        private final double[] buckets;

        Histogram(String name, String help, double[] buckets, String[] labelNames) {
            super(name, help, labelNames);
            this.buckets = buckets.clone();
            Arrays.sort(this.buckets);
        }

        @Override String type() { return "histogram"; }

        @Override Object newChild() { return new HistogramChild(buckets.length); }

        public void observe(double value, String... labelValues) {
            HistogramChild c = (HistogramChild) child(labelValues);
            for (int i = 0; i < buckets.length; i++) {
                if (value <= buckets[i]) {
                    c.counts[i].increment();
                    break;
                }
            }
            c.count.increment();
            c.sum.add(value);
        }

        public long count(String... labelValues) {
            return ((HistogramChild) child(labelValues)).count.sum();
        }

        @Override
        void writeChild(StringBuilder out, String ignored, Object child) {
            // labels are rebuilt with le per bucket
        }

        @Override
        void write(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            List<List<String>> keys = new ArrayList<>(children.keySet());
            keys.sort((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
            for (List<String> key : keys) {
                HistogramChild c = (HistogramChild) children.get(key);
                long cumulative = 0;
                for (int i = 0; i < buckets.length; i++) {
                    cumulative += c.counts[i].sum();
                    out.append(name).append("_bucket").append(labels(key, "le", format(buckets[i])))
                            .append(' ').append(cumulative).append('\n');
                }
                long count = c.count.sum();
                out.append(name).append("_bucket").append(labels(key, "le", "+Inf")).append(' ').append(count).append('\n');
                String plain = labels(key, null, null);
                out.append(name).append("_sum").append(plain).append(' ').append(format(c.sum.sum())).append('\n');
                out.append(name).append("_count").append(plain).append(' ').append(count).append('\n');
            }
        }

        static final class HistogramChild {
            final LongAdder[] counts;
            final LongAdder count = new LongAdder();
            final DoubleAdder sum = new DoubleAdder();

            HistogramChild(int n) {
                counts = new LongAdder[n];
                for (int i = 0; i < n; i++) {
                    counts[i] = new LongAdder();
                }
            }
        }
    }
}
