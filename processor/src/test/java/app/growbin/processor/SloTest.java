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
 * Service level objectives: {@code @Slo} on a REST service and {@code api.rest.<name>.slo.*} in the
 * values become {@code monitoring/prometheusrule-slo.yaml} (recording rules over the SRE workbook's
 * windows, a page and a ticket alert per objective) and their promtool tests in
 * {@code <output>-tests/<env>.test.yaml}; each bad input is reported where it was written.
 */
class SloTest {

    @TempDir
    Path root;

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            @Slo(availability = 99.5, latencyPercentile = 99, latencyThresholdSeconds = 2.5)
            public final class WasteApi {}
            """);

    static final JavaFileObject USERS = source("UsersApi", """
            @RestService(path = "/api/v1/users")
            public final class UsersApi {}
            """);

    @Test
    void anObjectiveBecomesRecordingRulesAndBurnRateAlerts() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(WASTE, USERS)).succeeded();

        JsonNode rule = project.yaml("dev/monitoring/prometheusrule-slo.yaml");
        assertThat(rule.at("/kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.at("/metadata/name").asText()).isEqualTo("shop-slos");
        JsonNode rules = rule.at("/spec/groups/0/rules");
        List<String> records = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        for (JsonNode r : rules) {
            if (r.has("record")) {
                records.add(r.path("record").asText() + r.at("/labels/slo").asText());
            } else {
                alerts.add(r.path("alert").asText());
            }
        }
        List<String> windows = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");
        assertThat(records).containsExactlyElementsIn(windows.stream().flatMap(w -> java.util.stream.Stream.of(
                "growbin:slo_errors_per_request:ratio_rate" + w + "availability", "growbin:slo_errors_per_request:ratio_rate" + w + "latency"))
                .toList());
        assertThat(alerts).containsExactly("WasteAvailabilityFastBurn", "WasteAvailabilitySlowBurn", "WasteLatencyFastBurn",
                "WasteLatencySlowBurn").inOrder();

        JsonNode fast = find(rules, "alert", "WasteAvailabilityFastBurn");
        assertThat(fast.path("expr").asText()).isEqualTo("""
                (
                  growbin:slo_errors_per_request:ratio_rate1h{service="waste",slo="availability"} > (14.4 * (1 - 99.5 / 100))
                and
                  growbin:slo_errors_per_request:ratio_rate5m{service="waste",slo="availability"} > (14.4 * (1 - 99.5 / 100))
                )
                or
                (
                  growbin:slo_errors_per_request:ratio_rate6h{service="waste",slo="availability"} > (6 * (1 - 99.5 / 100))
                and
                  growbin:slo_errors_per_request:ratio_rate30m{service="waste",slo="availability"} > (6 * (1 - 99.5 / 100))
                )""");
        assertThat(fast.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(fast.at("/labels/slo").asText()).isEqualTo("availability");
        assertThat(fast.has("for")).isFalse();
        JsonNode slow = find(rules, "alert", "WasteLatencySlowBurn");
        assertThat(slow.path("expr").asText()).contains(
                "growbin:slo_errors_per_request:ratio_rate1d{service=\"waste\",slo=\"latency\"} > (3 * (1 - 99 / 100))");
        assertThat(slow.path("expr").asText()).contains(
                "growbin:slo_errors_per_request:ratio_rate6h{service=\"waste\",slo=\"latency\"} > (1 * (1 - 99 / 100))");
        assertThat(slow.at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(slow.at("/annotations/runbook_url").asText()).endsWith("#errorbudgetburn");

        // The availability objective counts what the error-rate alert counts: the same expression.
        String errorRateAlert = find(project.yaml("dev/monitoring/prometheusrule.yaml").at("/spec/groups/0/rules"), "alert", "WasteHighErrorRate")
                .path("expr").asText();
        JsonNode availability5m = findRecord(rules, "growbin:slo_errors_per_request:ratio_rate5m", "availability");
        assertThat(errorRateAlert).startsWith(availability5m.path("expr").asText() + "\n  > ");
        assertThat(findRecord(rules, "growbin:slo_errors_per_request:ratio_rate1h", "latency").path("expr").asText()).isEqualTo("""
                1 - (
                    sum(rate(http_request_duration_seconds_bucket{service="waste",le=~"2\\\\.5(\\\\.0)?"}[1h]))
                  / sum(rate(http_request_duration_seconds_bucket{service="waste",le="+Inf"}[1h]))
                  )""");

        assertThat(project.read("dev/kustomization.yaml")).contains("monitoring/prometheusrule-slo.yaml");
        assertThat(project.readTest("dev.test.yaml")).contains("alertname: WasteAvailabilityFastBurn");
        assertThat(project.read("helm/shop/values.yaml")).contains(
                "      slo:\n        availability: 99.5\n        latency:\n          percentile: 99\n          thresholdSeconds: 2.5\n");
    }

    @Test
    void valuesSetChangeAndRemoveObjectivesPerEnvironment() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .values("values-dev.yaml", """
                        api:
                          rest:
                            waste:
                              slo:
                                availability: 0
                                latency:
                                  percentile: 0
                        """)
                .values("values-prod.yaml", """
                        global:
                          environment: production
                        api:
                          rest:
                            waste:
                              slo:
                                availability: 99.9
                            users:
                              slo:
                                latency:
                                  percentile: 95
                                  thresholdSeconds: 1
                        """);
        assertThat(project.compile(WASTE, USERS)).succeeded();

        assertThat(project.exists("dev/monitoring/prometheusrule-slo.yaml")).isFalse();
        assertThat(project.read("dev/kustomization.yaml")).doesNotContain("prometheusrule-slo.yaml");
        assertThat(project.readTest("dev.test.yaml")).doesNotContain("Burn"); // the alerts' tests only
        JsonNode rules = project.yaml("prod/monitoring/prometheusrule-slo.yaml").at("/spec/groups/0/rules");
        assertThat(find(rules, "alert", "WasteAvailabilityFastBurn").path("expr").asText()).contains("> (14.4 * (1 - 99.9 / 100))");
        assertThat(find(rules, "alert", "WasteLatencyFastBurn").path("expr").asText()).contains("> (14.4 * (1 - 99 / 100))");
        // a whole-second threshold matches le="1" as the runtime writes it and le="1.0" as Prometheus 3 stores it
        assertThat(findRecord(rules, "growbin:slo_errors_per_request:ratio_rate5m", "latency").path("expr").asText())
                .contains("{service=\"users\",le=~\"1(\\\\.0)?\"}[5m]");
        assertThat(find(rules, "alert", "UsersLatencySlowBurn").path("expr").asText()).contains("> (3 * (1 - 95 / 100))");
        assertThat(project.readTest("prod.test.yaml")).contains("alertname: UsersLatencySlowBurn");
    }

    @Test
    void sloWithoutObjectiveIsRejectedAtTheAnnotation() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Slo()
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:slo] @Slo declares no objective; set availability (such as 99.5)")
                .inFile(api).onLineContaining("@Slo()");
    }

    @Test
    void anObjectiveOfAHundredPercentIsRejectedAtTheMember() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Slo(latencyPercentile = 99, latencyThresholdSeconds = 0.5,
                        availability = 100)
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:slo] @Slo.availability is 100; an objective is a percentage above 93.06 "
                + "and below 100, such as 99.5 (at 100 nothing may fail").inFile(api).onLineContaining("availability = 100");
    }

    @Test
    void anObjectiveTooLowForTheFastestBurnIsRejected() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Slo(availability = 99,
                        latencyPercentile = 90, latencyThresholdSeconds = 0.5)
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:slo] @Slo.latencyPercentile is 90; an objective is a percentage above 93.06")
                .inFile(api).onLineContaining("latencyPercentile = 90");
    }

    @Test
    void aThresholdThatIsNoBucketIsRejected() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Slo(latencyPercentile = 99,
                        latencyThresholdSeconds = 0.3)
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:slo] @Slo.latencyThresholdSeconds 0.3 is not a bucket bound of "
                + "http_request_duration_seconds, and the rules count the requests at or below a bound; use one of 0.005, 0.01, 0.025, "
                + "0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10").inFile(api).onLineContaining("latencyThresholdSeconds = 0.3");
    }

    @Test
    void aPercentileWithoutThresholdIsRejectedAtThePercentile() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Slo(availability = 99.9,
                        latencyPercentile = 99)
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:slo] @Slo.latencyPercentile 99 needs latencyThresholdSeconds")
                .inFile(api).onLineContaining("latencyPercentile = 99");
    }

    @Test
    void aThresholdWithoutPercentileIsRejectedAtTheThreshold() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Slo(availability = 99.9,
                        latencyThresholdSeconds = 1)
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:slo] @Slo.latencyThresholdSeconds 1 has no latencyPercentile")
                .inFile(api).onLineContaining("latencyThresholdSeconds = 1");
    }

    @Test
    void sloOnAWorkerIsRejected() {
        JavaFileObject worker = source("MailWorker", """
                @AsyncWorker(queue = "q.mail")
                @Slo(availability = 99.9)
                public final class MailWorker {
                    @Task("mail.send") public void send(String to) { }
                }
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(worker);
        assertThat(compilation).hadErrorContaining("[growbin:modifier-not-applicable] @Slo applies to @RestService classes")
                .inFile(worker).onLineContaining("@Slo(availability = 99.9)");
    }

    @Test
    void sloOnAClassWithoutServiceIsRejected() {
        JavaFileObject helper = source("Helper", """
                @Slo(availability = 99.9)
                public final class Helper {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(helper, USERS);
        assertThat(compilation).hadErrorContaining("[growbin:modifier-without-kind] @Slo has no effect")
                .inFile(helper).onLineContaining("@Slo(availability = 99.9)");
    }

    @Test
    void badObjectivesInTheValuesAreRejectedAtTheirLines() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    users:
                      slo:
                        availability: 100
                        latency:
                          percentile: 99.9
                    waste:
                      slo:
                        latency:
                          thresholdSeconds: 0.3
                """);
        Compilation compilation = project.compile(WASTE, USERS);
        assertThat(compilation).hadErrorContaining("[growbin:slo] values-dev.yaml:5: api.rest.users.slo.availability is 100; "
                + "an objective is a percentage above 93.06 and below 100");
        assertThat(compilation).hadErrorContaining("[growbin:slo] values-dev.yaml:7: api.rest.users.slo.latency.percentile is 99.9 but "
                + "api.rest.users.slo.latency.thresholdSeconds is not set; a latency objective needs both");
        assertThat(compilation).hadErrorContaining("[growbin:slo] values-dev.yaml:11: api.rest.waste.slo.latency.thresholdSeconds 0.3 "
                + "is not a bucket bound of http_request_duration_seconds");
        project.assertNothingWritten();
    }

    @Test
    void anObjectiveOnAWorkerInTheValuesIsAnUnknownKey() {
        JavaFileObject worker = source("MailWorker", """
                @AsyncWorker(queue = "q.mail")
                public final class MailWorker {
                    @Task("mail.send") public void send(String to) { }
                }
                """);
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  async:
                    mail:
                      slo:
                        availability: 99.9
                """);
        assertThat(project.compile(worker)).hadErrorContaining("[growbin:values-unknown-key] values-dev.yaml:4: unknown key 'api.async.mail.slo'");
    }

    private static JsonNode find(JsonNode rules, String field, String name) {
        for (JsonNode rule : rules) {
            if (rule.path(field).asText().equals(name)) {
                return rule;
            }
        }
        throw new AssertionError("no rule with " + field + " " + name + " in " + rules);
    }

    private static JsonNode findRecord(JsonNode rules, String record, String slo) {
        for (JsonNode rule : rules) {
            if (rule.path("record").asText().equals(record) && rule.at("/labels/slo").asText().equals(slo)) {
                return rule;
            }
        }
        throw new AssertionError("no " + record + " of " + slo + " in " + rules);
    }
}
