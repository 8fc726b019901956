package app.growbin.processor.validate;

import java.util.regex.Pattern;

/** The naming rules of Kubernetes and of environment variables. */
final class Names {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9._:-]+");
    static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(_KEY|_PASSWORD|_SECRET|_TOKEN|PASSWORD|SECRET)$");
    static final Pattern URL_WITH_PASSWORD = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/@\\s:]*:[^/@\\s]+@.*");

    static final int MAX_NAME = 63;
    static final int MAX_SUBDOMAIN = 253;

    private Names() {}

    static boolean isDnsLabel(String text) {
        return text.length() <= MAX_NAME && DNS_LABEL.matcher(text).matches();
    }

    static boolean isSecretName(String text) {
        return text.length() <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.matcher(text).matches();
    }

    /** A label key: an optional DNS subdomain prefix and a slash, then a name of at most 63 characters. */
    static boolean isLabelKey(String text) {
        int slash = text.indexOf('/');
        String name = slash < 0 ? text : text.substring(slash + 1);
        if (slash >= 0 && !isSecretName(text.substring(0, slash))) {
            return false;
        }
        return name.length() <= MAX_NAME && LABEL_NAME.matcher(name).matches();
    }

    static boolean isLabelValue(String text) {
        return text.length() <= MAX_NAME && LABEL_VALUE.matcher(text).matches();
    }

    static boolean isCredentialLike(String envName) {
        return CREDENTIAL_NAME.matcher(envName).matches() && !envName.endsWith("_FILE") && !envName.endsWith("_PATH");
    }

    static boolean hasPasswordInUrl(String value) {
        return URL_WITH_PASSWORD.matcher(value.trim()).matches();
    }
}
