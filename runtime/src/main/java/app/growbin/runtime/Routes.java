package app.growbin.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of one service, relative to its base path. Patterns are literal segments and
 * {@code {name}} placeholders: {@code ""} is the base path itself, {@code "/{id}"} one segment below.
 */
public final class Routes {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String basePath;
    private final List<Route> routes = new ArrayList<>();

    public Routes(String basePath) {
        String b = basePath == null ? "" : basePath.trim();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.basePath = b;
    }

    public String basePath() {
        return basePath;
    }

    public Routes get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    public Routes post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    public Routes put(String pattern, Handler handler) {
        return add("PUT", pattern, handler);
    }

    public Routes patch(String pattern, Handler handler) {
        return add("PATCH", pattern, handler);
    }

    public Routes delete(String pattern, Handler handler) {
        return add("DELETE", pattern, handler);
    }

    public Routes add(String method, String pattern, Handler handler) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.equals("/")) {
            p = "";
        }
        if (!p.isEmpty() && !p.startsWith("/")) {
            p = "/" + p;
        }
        String template = basePath + p;
        if (template.isEmpty()) {
            template = "/";
        }
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?");
        routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), template, Pattern.compile(regex.toString()),
                List.copyOf(names), handler));
        return this;
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    /** The route for a request, or none; {@code methodMismatch} tells a 405 from a 404. */
    public Match match(String method, String path) {
        boolean pathMatched = false;
        for (Route r : routes) {
            Matcher m = r.regex().matcher(path);
            if (m.matches()) {
                pathMatched = true;
                if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                    Map<String, String> params = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < r.paramNames().size(); i++) {
                        params.put(r.paramNames().get(i), java.net.URLDecoder.decode(m.group(i + 1),
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                    return new Match(r, params, false);
                }
            }
        }
        return new Match(null, Map.of(), pathMatched);
    }

    /** One route: method, the full template (the {@code route} metric label) and its handler. */
    public record Route(String method, String template, Pattern regex, List<String> paramNames, Handler handler) {}

    public record Match(Route route, Map<String, String> pathParams, boolean methodMismatch) {}
}
