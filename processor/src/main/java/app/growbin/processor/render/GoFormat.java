package app.growbin.processor.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as Prometheus prints them in alert templates (Go's {@code fmt} and Prometheus' template
 * functions), so that the generated alert tests can state the exact annotations an alert carries.
 */
final class GoFormat {

    private static final String[] SMALL_PREFIXES = {"m", "u", "n", "p", "f", "a", "z", "y"};

    private GoFormat() {}

    /** Go's {@code %.4g}: four significant digits, trailing zeros dropped, exponent form outside 1e-4 to 1e4. */
    static String fourDigits(double value) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 4) {
            return rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString() + exponent(exponent);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** Go's {@code %v} of a float64: the shortest digits, in exponent form below 1e-4 and from 1e6 ({@code 1.000001e+06}). */
    static String shortest(double value) {
        if (value == 0) {
            return "0";
        }
        BigDecimal digits = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = digits.precision() - digits.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            return digits.movePointLeft(exponent).toPlainString() + exponent(exponent);
        }
        return digits.toPlainString();
    }

    /** Prometheus' {@code humanizePercentage}: {@code %.4g%%} of the ratio times 100. */
    static String humanizePercentage(double ratio) {
        return fourDigits(ratio * 100) + "%";
    }

    /** Prometheus' {@code humanizeDuration} of seconds: {@code 1.167s}, {@code 583.3ms}, {@code 2m 5s}, {@code 1d 2h 0m 5s}. */
    static String humanizeDuration(double seconds) {
        if (seconds == 0) {
            return "0s";
        }
        String sign = seconds < 0 ? "-" : "";
        double v = Math.abs(seconds);
        if (v >= 1) {
            long whole = (long) v;
            long days = whole / 86_400;
            long hours = whole / 3_600 % 24;
            long minutes = whole / 60 % 60;
            long secs = whole % 60;
            if (days != 0) {
                return sign + days + "d " + hours + "h " + minutes + "m " + secs + "s";
            }
            if (hours != 0) {
                return sign + hours + "h " + minutes + "m " + secs + "s";
            }
            if (minutes != 0) {
                return sign + minutes + "m " + secs + "s";
            }
            return sign + fourDigits(v) + "s";
        }
        String prefix = "";
        for (String next : SMALL_PREFIXES) {
            if (v >= 1) {
                break;
            }
            prefix = next;
            v *= 1000;
        }
        return sign + fourDigits(v) + prefix + "s";
    }

    private static String exponent(int exponent) {
        return "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
