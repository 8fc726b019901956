package app.growbin.processor.validate;

import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.read.ValuesLayers;
import app.growbin.processor.read.WorkloadSettings;
import app.growbin.processor.settings.Default;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules on how an environment meets its cluster: the Ingress or Gateway API route, the TLS
 * certificate's source (ACM on an AWS ALB, a Secret elsewhere, cert-manager's when it writes one),
 * and the External Secrets store. They read each environment's effective settings and report a
 * problem where the value that decides it was written.
 */
final class PlatformRules {

    /** The Gateway API allows at most 16 rules in an HTTPRoute; the route has one per enabled REST service. */
    static final int MAX_ROUTE_RULES = 16;
    /** An ACM (or IAM server) certificate ARN. */
    private static final Pattern CERTIFICATE_ARN = Pattern.compile("arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:[0-9]*:(certificate|server-certificate)/\\S+");

    private final ProblemList problems;

    PlatformRules(ProblemList problems) {
        this.problems = problems;
    }

    void check(String environment, ValuesLayers layers, List<DeclaredWorkload> workloads) {
        oneOf(layers, Settings.INGRESS_KIND);
        oneOf(layers, Settings.EXTERNAL_STORE_KIND);
        boolean ingressEnabled = effective(layers, Settings.INGRESS_ENABLED);
        String kind = effective(layers, Settings.INGRESS_KIND);
        if (ingressEnabled && "gateway".equals(kind)) {
            checkGateway(environment, layers, workloads);
        } else if (ingressEnabled && "ingress".equals(kind)) {
            checkTls(environment, layers);
        }
        checkStore(layers, workloads);
    }

    private void checkGateway(String environment, ValuesLayers layers, List<DeclaredWorkload> workloads) {
        Optional<Located<String>> name = layers.get(Settings.GATEWAY_NAME).filter(n -> !n.value().isEmpty());
        if (name.isEmpty()) {
            problems.add(Rule.GATEWAY_ROUTE, siteOf(layers, Settings.INGRESS_KIND), "environment '" + environment
                    + "' routes through the Gateway API (ingress.kind: gateway) but names no Gateway; set ingress.gateway.parentRef.name "
                    + "(and its namespace when the Gateway is in another one)");
        } else if (!Names.DNS_SUBDOMAIN.matcher(name.get().value()).matches() || name.get().value().length() > 253) {
            problems.add(Rule.GATEWAY_ROUTE, name.get().site(), "ingress.gateway.parentRef.name '" + name.get().value()
                    + "' is not a Gateway name (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.')");
        }
        layers.get(Settings.GATEWAY_NAMESPACE).filter(n -> !n.value().isEmpty() && !Names.isDnsLabel(n.value())).ifPresent(namespace ->
                problems.add(Rule.GATEWAY_ROUTE, namespace.site(), "ingress.gateway.parentRef.namespace '" + namespace.value()
                        + "' is not a namespace name (a DNS-1123 label)"));
        layers.get(Settings.GATEWAY_SECTION_NAME).filter(n -> !n.value().isEmpty()
                && (!Names.DNS_SUBDOMAIN.matcher(n.value()).matches() || n.value().length() > 253)).ifPresent(section ->
                problems.add(Rule.GATEWAY_ROUTE, section.site(), "ingress.gateway.parentRef.sectionName '" + section.value()
                        + "' is not a listener name (a DNS-1123 subdomain, such as https)"));
        long routed = workloads.stream().filter(w -> w.kind() == WorkloadKind.REST)
                .filter(w -> new WorkloadSettings(w, layers).enabled().value()).count();
        if (routed > MAX_ROUTE_RULES) {
            problems.add(Rule.GATEWAY_ROUTE, siteOf(layers, Settings.INGRESS_KIND), "environment '" + environment + "' routes " + routed
                    + " REST services through one HTTPRoute, which holds at most " + MAX_ROUTE_RULES
                    + " rules (one per service); use ingress.kind: ingress, or disable services in this environment");
        }
    }

    private void checkTls(String environment, ValuesLayers layers) {
        boolean alb = "alb".equals(effective(layers, Settings.INGRESS_CLASS_NAME));
        boolean tls = effective(layers, Settings.INGRESS_TLS_ENABLED);
        Optional<Located<String>> arn = layers.get(Settings.INGRESS_TLS_CERTIFICATE_ARN).filter(a -> !a.value().isEmpty());
        Optional<Located<String>> issuer = layers.get(Settings.INGRESS_TLS_CLUSTER_ISSUER).filter(i -> !i.value().isEmpty());
        Optional<Located<String>> secret = layers.get(Settings.INGRESS_TLS_SECRET).filter(s -> !s.value().isEmpty());
        arn.ifPresent(value -> {
            for (String item : value.value().split(",", -1)) {
                if (!CERTIFICATE_ARN.matcher(item.trim()).matches()) {
                    problems.add(Rule.INGRESS_TLS, value.site(), "ingress.tls.certificateArn '" + item.trim()
                            + "' is not a certificate ARN, such as arn:aws:acm:eu-west-1:123456789012:certificate/<id> (several are comma-separated)");
                }
            }
        });
        if (alb) {
            issuer.ifPresent(value -> problems.add(Rule.INGRESS_TLS, value.site(), "environment '" + environment
                    + "': ingress.tls.clusterIssuer has no effect with className alb: the AWS Load Balancer Controller takes certificates from ACM, "
                    + "not from the Secret cert-manager writes; set ingress.tls.certificateArn, or leave the certificate to discovery from the host"));
            if (tls && secret.isPresent()) {
                problems.add(Rule.ALB_CERTIFICATE, secret.get().site(), "environment '" + environment
                        + "': ingress.tls.secretName is not written: the AWS Load Balancer Controller (className alb) never reads a TLS Secret; "
                        + "remove it and set ingress.tls.certificateArn, or rely on ACM discovery from the host");
            }
            if (tls && arn.isEmpty() && effectiveHost(layers).isEmpty()) {
                problems.add(Rule.ALB_CERTIFICATE, siteOf(layers, Settings.INGRESS_TLS_ENABLED), "environment '" + environment
                        + "' enables TLS on an AWS ALB (className alb) with neither ingress.tls.certificateArn nor a host to discover "
                        + "the ACM certificate from, so the HTTPS listener would have no certificate; set ingress.tls.certificateArn or ingress.host");
            }
            return;
        }
        arn.ifPresent(value -> problems.add(Rule.INGRESS_TLS, value.site(), "environment '" + environment
                + "': ingress.tls.certificateArn is read only by the AWS Load Balancer Controller (className alb), not by class '"
                + effective(layers, Settings.INGRESS_CLASS_NAME) + "'; use ingress.tls.secretName (or clusterIssuer with cert-manager)"));
        if (tls && issuer.isPresent() && secret.isEmpty()) {
            problems.add(Rule.INGRESS_TLS, issuer.get().site(), "environment '" + environment
                    + "': cert-manager (ingress.tls.clusterIssuer) writes the certificate into the Secret ingress.tls.secretName, which is not set; "
                    + "set it, for example to <appName>-tls");
        }
    }

    /** A remote key for a Secret the manifests never read is a typo or a leftover: it would fill nothing. */
    private void checkStore(ValuesLayers layers, List<DeclaredWorkload> workloads) {
        layers.get(Settings.EXTERNAL_STORE_NAME).filter(n -> !n.value().isEmpty() && !Names.isSecretName(n.value())).ifPresent(name ->
                problems.add(Rule.SECRET_STORE, name.site(), "secrets.externalStore.name '" + name.value()
                        + "' is not the name of a store (a DNS-1123 subdomain)"));
        Optional<Located<java.util.SortedMap<String, String>>> remoteKeys = layers.get(Settings.EXTERNAL_STORE_REMOTE_KEYS);
        if (remoteKeys.isEmpty() || remoteKeys.get().value().isEmpty()) {
            return;
        }
        Set<String> secrets = new TreeSet<>();
        secrets.add(effective(layers, Settings.BROKER_SECRET_NAME));
        secrets.add(effective(layers, Settings.BACKEND_SECRET_NAME));
        workloads.forEach(w -> w.secretEnv().forEach(s -> secrets.add(s.secret().value())));
        layers.get(Settings.INGRESS_TLS_SECRET).map(Located::value).filter(s -> !s.isEmpty()).ifPresent(secrets::add);
        for (String secret : remoteKeys.get().value().keySet()) {
            if (!secrets.contains(secret)) {
                problems.add(Rule.SECRET_STORE, remoteKeys.get().site(), "secrets.externalStore.remoteKeys names the Secret '" + secret
                        + "', which no manifest reads; " + DidYouMean.hint(secret, secrets));
            }
        }
    }

    private void oneOf(ValuesLayers layers, Setting<String> setting) {
        layers.get(setting).filter(value -> !setting.allowed().contains(value.value())).ifPresent(value ->
                problems.add(Rule.VALUES_TYPE, value.site(), setting.key() + " '" + value.value() + "' must be one of "
                        + String.join(", ", setting.allowed())));
    }

    /** The value the environment has: the values files', else the table's default. */
    private static <T> T effective(ValuesLayers layers, Setting<T> setting) {
        return layers.get(setting).map(Located::value).orElseGet(() -> setting.defaultValue() instanceof Default.Constant<T> constant ? constant.value() : null);
    }

    /** {@code ingress.host}, or {@code api.<global.domain>} without one. */
    private static String effectiveHost(ValuesLayers layers) {
        return layers.get(Settings.INGRESS_HOST).map(Located::value).orElseGet(() -> {
            String domain = effective(layers, Settings.DOMAIN);
            return domain.isEmpty() ? "" : "api." + domain;
        });
    }

    /** Where {@code setting} was written, or the top of the environment's file when no file sets it. */
    private static Site siteOf(ValuesLayers layers, Setting<?> setting) {
        return layers.get(setting).map(Located::site).orElse(new Site.InValues(layers.overlay().path(), 1, setting.key()));
    }
}
