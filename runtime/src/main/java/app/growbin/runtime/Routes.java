package app.growbin.runtime;

import app.growbin.runtime.auth.Access;
import app.growbin.runtime.ratelimit.RateLimit;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of one service, relative to its base path. Patterns are literal segments and
 * {@code {name}} placeholders: {@code ""} is the base path itself, {@code "/{id}"} one segment below.
 * Every route says who may call it ({@link Access}); the server refuses to start while one does not.
 * A route may also be rate-limited ({@link RateLimit}): the server counts it against the service's
 * budget per caller, in Redis, before the handler runs.
 */
public final class Routes {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String basePath;
    private final List<Route> routes = new ArrayList<>();
    private final Map<Class<? extends Throwable>, Integer> errorStatuses = new LinkedHashMap<>();

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

    public Routes get(String pattern, Access access, Handler handler) {
        return add("GET", pattern, access, handler);
    }

    public Routes post(String pattern, Access access, Handler handler) {
        return add("POST", pattern, access, handler);
    }

    public Routes put(String pattern, Access access, Handler handler) {
        return add("PUT", pattern, access, handler);
    }

    public Routes patch(String pattern, Access access, Handler handler) {
        return add("PATCH", pattern, access, handler);
    }

    public Routes delete(String pattern, Access access, Handler handler) {
        return add("DELETE", pattern, access, handler);
    }

    /** A rate-limited route: past the service's budget for this request's key, a 429 and the handler does not run. */
    public Routes get(String pattern, Access access, RateLimit rateLimit, Handler handler) {
        return add("GET", pattern, access, rateLimit, handler);
    }

    /** See {@link #get(String, Access, RateLimit, Handler)}. */
    public Routes post(String pattern, Access access, RateLimit rateLimit, Handler handler) {
        return add("POST", pattern, access, rateLimit, handler);
    }

    /** See {@link #get(String, Access, RateLimit, Handler)}. */
    public Routes put(String pattern, Access access, RateLimit rateLimit, Handler handler) {
        return add("PUT", pattern, access, rateLimit, handler);
    }

    /** See {@link #get(String, Access, RateLimit, Handler)}. */
    public Routes patch(String pattern, Access access, RateLimit rateLimit, Handler handler) {
        return add("PATCH", pattern, access, rateLimit, handler);
    }

    /** See {@link #get(String, Access, RateLimit, Handler)}. */
    public Routes delete(String pattern, Access access, RateLimit rateLimit, Handler handler) {
        return add("DELETE", pattern, access, rateLimit, handler);
    }

    /**
     * A route that says nothing about who may call it. It compiles, so that code written before
     * access control (and the processor's test sources) keeps compiling, but the service does not
     * start while it has one: declare an {@link Access}.
     */
    public Routes get(String pattern, Handler handler) {
        return add("GET", pattern, null, handler);
    }

    /** See {@link #get(String, Handler)}: the service does not start with this route. */
    public Routes post(String pattern, Handler handler) {
        return add("POST", pattern, null, handler);
    }

    /** See {@link #get(String, Handler)}: the service does not start with this route. */
    public Routes put(String pattern, Handler handler) {
        return add("PUT", pattern, null, handler);
    }

    /** See {@link #get(String, Handler)}: the service does not start with this route. */
    public Routes delete(String pattern, Handler handler) {
        return add("DELETE", pattern, null, handler);
    }

    public Routes add(String method, String pattern, Access access, Handler handler) {
        return add(method, pattern, access, null, handler);
    }

    /** @param rateLimit the budget the route draws on, or null for none */
    public Routes add(String method, String pattern, Access access, RateLimit rateLimit, Handler handler) {
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
        String verb = method.toUpperCase(Locale.ROOT);
        if (access != null && access.ownerParam() != null && !names.contains(access.ownerParam())) {
            throw new IllegalArgumentException(verb + " " + template + ": access '" + access + "' names {"
                    + access.ownerParam() + "}, which the route does not have");
        }
        routes.add(new Route(verb, template, Pattern.compile(regex.toString()), List.copyOf(names), access, rateLimit, handler));
        return this;
    }

    /**
     * The status an exception of this type (or a subtype) is answered with, as {@code {"error": message}};
     * for example a library's "too large" exception to 413. The runtime's own mappings
     * ({@code http.ErrorStatuses}) apply after these.
     */
    public Routes mapError(Class<? extends Throwable> type, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
        }
        errorStatuses.put(type, status);
        return this;
    }

    public Map<Class<? extends Throwable>, Integer> errorStatuses() {
        return Map.copyOf(errorStatuses);
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    /** Fails when a route does not declare who may call it: such a service must not start open. */
    public void requireAccessDeclared() {
        List<String> undeclared = new ArrayList<>();
        for (Route r : routes) {
            if (r.access() == null) {
                undeclared.add(r.method() + " " + r.template());
            }
        }
        if (!undeclared.isEmpty()) {
            throw new IllegalArgumentException("routes without an access declaration: " + undeclared
                    + "; register them with routes.get/post/...(pattern, Access.PUBLIC | Access.AUTHENTICATED"
                    + " | Access.role(...) | Access.ownerOr(...), handler)");
        }
    }

    /** Whether any route needs a token (then the service needs the signing keys). */
    public boolean anyTokenRequired() {
        return routes.stream().anyMatch(r -> r.access() != null && r.access().tokenRequired());
    }

    /** Whether any route is rate-limited (then the service needs a {@code RateLimiter}). */
    public boolean anyRateLimited() {
        return routes.stream().anyMatch(r -> r.rateLimit() != null);
    }

    /** The route for a request, or none; {@code allowed} lists the methods of a path that matched (405). */
    public Match match(String method, String path) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Matcher m = r.regex().matcher(path);
            if (m.matches()) {
                allowed.add(r.method());
                if (r.method().equals("GET")) {
                    allowed.add("HEAD");
                }
                if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int i = 0; i < r.paramNames().size(); i++) {
                        params.put(r.paramNames().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                    return new Match(r, params, Set.of());
                }
            }
        }
        return new Match(null, Map.of(), Set.copyOf(allowed));
    }

    /**
     * One route: method, the full template (the {@code route} metric label), who may call it, the rate
     * limit it draws on (null: none), its handler.
     */
    public record Route(String method, String template, Pattern regex, List<String> paramNames, Access access,
            RateLimit rateLimit, Handler handler) {}

    /** A route and its parameters, or (route null) the methods the path allows: empty for a 404. */
    public record Match(Route route, Map<String, String> pathParams, Set<String> allowedMethods) {
        public boolean methodMismatch() {
            return route == null && !allowedMethods.isEmpty();
        }
    }
}
