package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.testing.compile.Compilation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the REST services meet the cluster's edge: the Gateway API route ({@code ingress.kind: gateway})
 * as the equivalent of the Ingress, and where the Ingress's TLS certificate comes from: ACM on an AWS
 * ALB ({@code certificateArn}, or discovery from the host), a Secret on other classes, written by
 * cert-manager when {@code clusterIssuer} is set.
 */
class IngressPlatformTest {

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste", port = 8081)
            public final class WasteApi {}
            """);
    static final JavaFileObject USERS = source("UsersApi", """
            @RestService(path = "/api/v1/users")
            public final class UsersApi {}
            """);

    @TempDir
    Path root;

    // --- Gateway API ------------------------------------------------------------------------------

    @Test
    void gatewayKindWritesAnHttpRouteWithTheIngressPathsHostAndBackends() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                global:
                  domain: dev.shop.example
                ingress:
                  kind: gateway
                  className: alb
                  gateway:
                    parentRef:
                      name: public
                      namespace: gateway-system
                      sectionName: https
                """);
        assertThat(project.compile(WASTE, USERS)).succeeded();

        assertThat(project.exists("dev/ingress/api-ingress.yaml")).isFalse();
        JsonNode route = project.yaml("dev/ingress/api-httproute.yaml");
        assertThat(route.at("/apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
        assertThat(route.at("/kind").asText()).isEqualTo("HTTPRoute");
        assertThat(route.at("/metadata/name").asText()).isEqualTo("shop-api");
        JsonNode parent = route.at("/spec/parentRefs/0");
        assertThat(parent.at("/group").asText()).isEqualTo("gateway.networking.k8s.io");
        assertThat(parent.at("/kind").asText()).isEqualTo("Gateway");
        assertThat(parent.at("/name").asText()).isEqualTo("public");
        assertThat(parent.at("/namespace").asText()).isEqualTo("gateway-system");
        assertThat(parent.at("/sectionName").asText()).isEqualTo("https");
        assertThat(route.at("/spec/hostnames").toString()).isEqualTo("[\"api.dev.shop.example\"]");
        assertThat(route.at("/spec/rules").size()).isEqualTo(2);
        JsonNode users = route.at("/spec/rules/0");
        assertThat(users.at("/matches/0/path/type").asText()).isEqualTo("PathPrefix");
        assertThat(users.at("/matches/0/path/value").asText()).isEqualTo("/api/v1/users");
        assertThat(users.at("/backendRefs/0/name").asText()).isEqualTo("shop-api-rest-users");
        assertThat(users.at("/backendRefs/0/port").asInt()).isEqualTo(8080);
        JsonNode waste = route.at("/spec/rules/1");
        assertThat(waste.at("/matches/0/path/value").asText()).isEqualTo("/api/v1/waste");
        assertThat(waste.at("/backendRefs/0/name").asText()).isEqualTo("shop-api-rest-waste");
        assertThat(waste.at("/backendRefs/0/port").asInt()).isEqualTo(8081);
        assertThat(project.read("dev/kustomization.yaml")).contains("ingress/api-httproute.yaml");
        // The Service's port is the route's backend port, and no ALB annotation is left behind a Gateway.
        JsonNode service = project.yaml("dev/api/rest/waste-service.yaml");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8081);
        assertThat(service.at("/metadata/annotations").isMissingNode()).isTrue();
        assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
        // The chart keeps both forms, switched by ingress.kind.
        assertThat(project.exists("helm/shop/templates/ingress/api-httproute.yaml")).isTrue();
        assertThat(project.exists("helm/shop/templates/ingress/api-ingress.yaml")).isTrue();
    }

    @Test
    void gatewayWithoutHostOrOptionalParentFieldsLeavesThemOut() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  kind: gateway
                  gateway:
                    parentRef:
                      name: shared
                """);
        assertThat(project.compile(WASTE)).succeeded();
        JsonNode route = project.yaml("dev/ingress/api-httproute.yaml");
        assertThat(route.at("/spec/hostnames").isMissingNode()).isTrue();
        assertThat(route.at("/spec/parentRefs/0/namespace").isMissingNode()).isTrue();
        assertThat(route.at("/spec/parentRefs/0/sectionName").isMissingNode()).isTrue();
    }

    @Test
    void gatewayWithoutParentRefIsRefusedWhereTheKindIsSet() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  kind: gateway
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:gateway-route] values-dev.yaml:2: environment 'dev' routes through the "
                + "Gateway API (ingress.kind: gateway) but names no Gateway; set ingress.gateway.parentRef.name");
        project.assertNothingWritten();
    }

    @Test
    void unknownIngressKind() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  kind: gatway
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:values-type] values-dev.yaml:2: ingress.kind 'gatway' must be one of ingress, gateway");
        project.assertNothingWritten();
    }

    @Test
    void badGatewayNamesArePointedAt() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  kind: gateway
                  gateway:
                    parentRef:
                      name: Public_Gateway
                      namespace: gateway.system
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:gateway-route] values-dev.yaml:5: ingress.gateway.parentRef.name 'Public_Gateway' is not a Gateway name");
        assertThat(compilation).hadErrorContaining("[growbin:gateway-route] values-dev.yaml:6: ingress.gateway.parentRef.namespace 'gateway.system' is not a namespace name");
    }

    @Test
    void moreRestServicesThanAnHttpRouteHoldsRules() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  kind: gateway
                  gateway:
                    parentRef:
                      name: public
                """);
        List<JavaFileObject> services = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            services.add(source("Api" + i, "@RestService(path = \"/api/v1/s" + i + "\")\npublic final class Api" + i + " {}\n"));
        }
        Compilation compilation = project.compile(services.toArray(JavaFileObject[]::new));
        assertThat(compilation).hadErrorContaining("[growbin:gateway-route] values-dev.yaml:2: environment 'dev' routes 17 REST services "
                + "through one HTTPRoute, which holds at most 16 rules");
        project.assertNothingWritten();
    }

    @Test
    void theIngressStaysTheDefault() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.exists("dev/ingress/api-ingress.yaml")).isTrue();
        assertThat(project.exists("dev/ingress/api-httproute.yaml")).isFalse();
    }

    // --- TLS on an AWS ALB --------------------------------------------------------------------------

    @Test
    void albTakesTheCertificateArnAndNoSecretName() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                global:
                  domain: shop.example
                ingress:
                  className: alb
                  annotations:
                    alb.ingress.kubernetes.io/scheme: internet-facing
                  tls:
                    enabled: true
                    certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        JsonNode ingress = project.yaml("dev/ingress/api-ingress.yaml");
        assertThat(ingress.at("/metadata/annotations/alb.ingress.kubernetes.io~1certificate-arn").asText())
                .isEqualTo("arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        assertThat(ingress.at("/metadata/annotations/alb.ingress.kubernetes.io~1scheme").asText()).isEqualTo("internet-facing");
        assertThat(ingress.at("/spec/tls/0/hosts/0").asText()).isEqualTo("api.shop.example");
        assertThat(ingress.at("/spec/tls/0/secretName").isMissingNode()).isTrue();
    }

    @Test
    void albWithTlsButNeitherArnNorHostWarnsAndWritesTheManifests() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  tls:
                    enabled: true
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[growbin:alb-certificate] values-dev.yaml:4: environment 'dev' enables TLS on an AWS ALB "
                + "(className alb) with neither ingress.tls.certificateArn nor a host to discover the ACM certificate from");
        assertThat(project.yaml("dev/ingress/api-ingress.yaml").at("/spec/tls").isMissingNode()).isTrue();
    }

    @Test
    void albDiscoversTheCertificateFromTheHostWithoutAWarning() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  host: api.shop.example
                  tls:
                    enabled: true
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        JsonNode ingress = project.yaml("dev/ingress/api-ingress.yaml");
        assertThat(ingress.at("/spec/tls/0/hosts/0").asText()).isEqualTo("api.shop.example");
        assertThat(ingress.at("/metadata/annotations").isMissingNode()).isTrue();
    }

    @Test
    void albIgnoresASecretNameAndSaysSo() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  host: api.shop.example
                  tls:
                    enabled: true
                    secretName: shop-tls
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[growbin:alb-certificate] values-dev.yaml:6: environment 'dev': ingress.tls.secretName is not written");
        assertThat(project.yaml("dev/ingress/api-ingress.yaml").at("/spec/tls/0/secretName").isMissingNode()).isTrue();
    }

    @Test
    void certificateArnOnAnotherClassIsRefused() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: nginx
                  tls:
                    enabled: true
                    certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:ingress-tls] values-dev.yaml:5: environment 'dev': ingress.tls.certificateArn "
                + "is read only by the AWS Load Balancer Controller (className alb), not by class 'nginx'");
        project.assertNothingWritten();
    }

    @Test
    void malformedCertificateArn() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  tls:
                    enabled: true
                    certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc,my-cert
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:ingress-tls] values-dev.yaml:5: ingress.tls.certificateArn 'my-cert' is not a certificate ARN");
    }

    // --- cert-manager on other classes ---------------------------------------------------------------

    @Test
    void clusterIssuerAnnotatesTheIngressAndKeepsTheSecret() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: nginx
                  host: api.shop.example
                  tls:
                    enabled: true
                    secretName: shop-tls
                    clusterIssuer: letsencrypt-prod
                """);
        assertThat(project.compile(WASTE)).succeeded();
        JsonNode ingress = project.yaml("dev/ingress/api-ingress.yaml");
        assertThat(ingress.at("/metadata/annotations/cert-manager.io~1cluster-issuer").asText()).isEqualTo("letsencrypt-prod");
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("shop-tls");
        assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
    }

    @Test
    void otherClassesKeepTheSecretWithoutCertManager() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  host: api.shop.example
                  tls:
                    enabled: true
                    secretName: shop-tls
                """);
        assertThat(project.compile(WASTE)).succeeded();
        JsonNode ingress = project.yaml("dev/ingress/api-ingress.yaml");
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("shop-tls");
        assertThat(ingress.at("/metadata/annotations").isMissingNode()).isTrue();
    }

    @Test
    void clusterIssuerOnAnAlbIsRefused() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  host: api.shop.example
                  tls:
                    enabled: true
                    clusterIssuer: letsencrypt-prod
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:ingress-tls] values-dev.yaml:6: environment 'dev': ingress.tls.clusterIssuer "
                + "has no effect with className alb");
        project.assertNothingWritten();
    }

    @Test
    void clusterIssuerNeedsTheSecretItWritesInto() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: nginx
                  host: api.shop.example
                  tls:
                    enabled: true
                    clusterIssuer: letsencrypt-prod
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:ingress-tls] values-dev.yaml:6: environment 'dev': cert-manager "
                + "(ingress.tls.clusterIssuer) writes the certificate into the Secret ingress.tls.secretName, which is not set");
        project.assertNothingWritten();
    }
}
