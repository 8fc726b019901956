package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s-out/README.md}: the diagram draws only the task calls the code declares
 * ({@code @SendsTasks}); each environment lists what the cluster needs before the first sync, read
 * from its objects; the folders, {@code helm/} included, and where the tests are, are described.
 */
class OverviewTest {

    static final JavaFileObject SHOP = source("ShopApi", """
            @RestService(path = "/api/v1/shop")
            @SendsTasks(ThumbnailWorker.class)
            @SecretEnv(name = "PAYMENT_TOKEN", secret = "payment-secrets", key = "token")
            public final class ShopApi {}
            """);
    static final JavaFileObject ADMIN = source("AdminApi", "@RestService(path = \"/api/v1/admin\")\npublic final class AdminApi {}\n");
    static final JavaFileObject THUMBNAILS = source("ThumbnailWorker", """
            @AsyncWorker(queue = "q.thumbnails")
            @SendsTasks(chain = {IndexWorker.class, MailWorker.class})
            @Autoscaling(minReplicas = 1, maxReplicas = 5, queueLength = 20)
            public final class ThumbnailWorker {
                @Task("thumbnails.make") public String make(String image) { return image; }
            }
            """);
    static final JavaFileObject INDEX = worker("IndexWorker", "q.index", "index.add");
    static final JavaFileObject MAIL = worker("MailWorker", "q.mail", "mail.send");

    @TempDir
    Path root;

    @Test
    void theDiagramDrawsOnlyDeclaredCalls() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(SHOP, ADMIN, THUMBNAILS, INDEX, MAIL)).succeeded();
        String readme = project.read("README.md");
        assertThat(readme).contains("  rest_shop -. \"tasks\" .-> queue_thumbnails\n");
        assertThat(readme).contains("  worker_thumbnails -. \"chain\" .-> queue_index\n");
        assertThat(readme).contains("  worker_index -. \"chain\" .-> queue_mail\n");
        assertThat(readme).doesNotContain("rest_admin -.");
        assertThat(readme).doesNotContain("-.-> rabbitmq");
        assertThat(readme.split("-\\. \"", -1).length - 1).isEqualTo(3);
    }

    @Test
    void eachEnvironmentListsWhatTheClusterNeeds() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: nginx
                  host: shop.example.com
                  tls:
                    enabled: true
                    secretName: shop-tls
                gitops:
                  repoUrl: https://github.com/your-org/shop-gitops.git
                  namespace: shop-dev
                """).values("values-prod.yaml", """
                api:
                  async:
                    thumbnails:
                      autoscaling:
                        enabled: false
                """);
        assertThat(project.compile(SHOP, THUMBNAILS, INDEX, MAIL)).succeeded();
        String readme = project.read("README.md");
        String dev = readme.substring(readme.indexOf("## dev ("), readme.indexOf("## prod ("));
        String prod = readme.substring(readme.indexOf("## prod ("));

        assertThat(dev).contains("read in the namespace `shop-dev`");
        assertThat(dev).contains("| `payment-secrets` | `token` | `PAYMENT_TOKEN` of shop | you, before the first sync |");
        assertThat(dev).contains("| `payment-secrets` | `token` | `PAYMENT_TOKEN` of shop |");
        assertThat(dev).contains("| `celery-secrets` | `broker-url` | `CELERY_BROKER_URL` of index, mail, shop, thumbnails;"
                + " `host` of TriggerAuthentication |");
        assertThat(dev).contains("| `shop-tls` | `tls.crt` | the Ingress's TLS for shop.example.com");
        assertThat(dev).contains("| `keda.sh/v1alpha1` | ScaledObject, TriggerAuthentication | KEDA");
        assertThat(dev).contains("| `monitoring.coreos.com/v1` | PodMonitor, PrometheusRule, ServiceMonitor | the Prometheus Operator");
        assertThat(dev).contains("| `argoproj.io/v1alpha1` | Application | Argo CD");
        assertThat(dev).contains("- Ingress class `nginx`: ingress-nginx");

        // prod: no KEDA, no TLS, no Argo CD Application, the default ingress controller
        assertThat(prod).doesNotContain("keda.sh");
        assertThat(prod).doesNotContain("tls.crt");
        assertThat(prod).doesNotContain("argoproj.io");
        assertThat(prod).contains("- Ingress: the cluster's default ingress controller");

        assertThat(readme).contains("| `helm/shop/` | the same objects as a Helm chart");
        assertThat(readme).contains("The promtool unit tests of each environment's alerts (a case where each fires and one where it"
                + " stays quiet) are beside it, in the folder named after it with `-tests`");
        assertThat(readme).doesNotContain("rule-tests");
    }

    private static JavaFileObject worker(String className, String queue, String task) {
        return source(className, """
                @AsyncWorker(queue = "%s")
                public final class %s {
                    @Task("%s") public String run(String input) { return input; }
                }
                """.formatted(queue, className, task));
    }
}
