package app.growbin.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.Slo;
import app.growbin.processor.settings.Default;
import app.growbin.processor.settings.Owner;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.SettingScope;
import app.growbin.processor.settings.Settings;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/settings.md is the settings table ({@link Settings}) as a reference: every key, its type,
 * default, owner and place in the Helm chart. It is generated here and must equal the committed file;
 * after a change of the table, rewrite it and review the diff:
 * <pre>mvn -pl processor test -Dtest=SettingsReferenceTest -Dgrowbin.updateDocs=true</pre>
 */
class SettingsReferenceTest {

    static final String UPDATE_PROPERTY = "growbin.updateDocs";
    static final Path REFERENCE = Path.of("..", "docs", "settings.md");
    private static final Map<String, Class<? extends Annotation>> ANNOTATIONS = Map.of(
            "RestService", RestService.class, "AsyncWorker", AsyncWorker.class, "Resources", Resources.class, "Autoscaling", Autoscaling.class,
            "Slo", Slo.class);
    private static final Pattern MEMBER = Pattern.compile("@(\\w+)\\.(\\w+)");

    @Test
    void everyRowHasAKeyAndScopeOfItsOwn() {
        // a setting is equal to another of the same key and scope (Setting.equals): two such rows would be one map key
        List<String> seen = new ArrayList<>();
        for (Setting<?> setting : Settings.ALL) {
            String identity = setting.scope() + " " + setting.key();
            assertEquals(-1, seen.indexOf(identity), "two rows for " + identity);
            seen.add(identity);
        }
        assertEquals(Settings.ALL.size(), new java.util.HashSet<>(Settings.ALL).size());
    }

    @Test
    void referenceIsTheTable() throws IOException {
        String generated = reference();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        assertEquals(generated, Files.readString(REFERENCE, StandardCharsets.UTF_8),
                REFERENCE + " is not the settings table (rerun with -D" + UPDATE_PROPERTY + "=true and review the diff)");
    }

    static String reference() {
        StringBuilder text = new StringBuilder();
        text.append("<!-- Generated from app.growbin.processor.settings.Settings by SettingsReferenceTest; do not edit: change the table,\n")
                .append("     then run `mvn -pl processor test -Dtest=SettingsReferenceTest -Dgrowbin.updateDocs=true`. -->\n");
        text.append("# Settings reference\n\n");
        text.append("Every key of the values files (`src/main/k8s/values.yaml` and `values-<env>.yaml`) and of the exported Helm\n")
                .append("chart's values, from the processor's one settings table (`processor/src/main/java/app/growbin/processor/settings/Settings.java`).\n")
                .append("Precedence, lowest first: default → annotation → `values.yaml` → `values-<env>.yaml` → `-Agrowbin.image.tag`.\n")
                .append("A values file that sets an unknown key, a key of the wrong type, a key the code owns, or a base-only key in an\n")
                .append("environment's file fails the compile with the file, the line and a \"did you mean\" hint.\n\n");
        text.append("## Application settings\n\n");
        table(text, List.of("key", "type", "default", "Helm chart", "description"), Settings.application().stream()
                .map(s -> List.of("`" + s.key() + "`" + (s.baseOnly() ? " (values.yaml only)" : ""), s.type().description(),
                        defaultText(s), chart(s), s.description()))
                .toList());
        text.append("\n## Per service: `api.rest.<name>.*` and `api.async.<name>.*`\n\n");
        table(text, List.of("key", "services", "type", "default", "description"), Settings.ALL.stream()
                .filter(s -> s.scope() != SettingScope.APPLICATION && s.owner() == Owner.OPERATIONS)
                .map(s -> List.of("`" + s.key() + "`", services(s), s.type().description(), defaultText(s), s.description()))
                .toList());
        text.append("\nEvery one of these is in the Helm chart's values at `api.rest.<name>.<key>` / `api.async.<name>.<key>`;\n")
                .append("`autoscaling.queueLength` only for workers that scale on their queue length somewhere.\n");
        text.append("\n## The code's contract\n\n");
        text.append("These belong to the annotations; a values file that sets one under `api.rest.<name>` or `api.async.<name>` is an error.\n\n");
        table(text, List.of("key", "set by", "description"), Settings.ALL.stream()
                .filter(s -> s.owner() == Owner.CODE)
                .map(s -> List.of("`" + s.key() + "`", "`" + s.annotationMember().orElseThrow() + "`", s.description()))
                .toList());
        return text.toString();
    }

    private static void table(StringBuilder text, List<String> header, List<List<String>> rows) {
        text.append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append(" --- |".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("`&lt;", "`<").replace("&gt;`", ">`")));
            text.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    private static String services(Setting<?> setting) {
        return switch (setting.scope()) {
            case REST -> "REST";
            case WORKER -> "workers";
            default -> "all";
        };
    }

    private static String chart(Setting<?> setting) {
        if (!setting.inValuesFiles()) {
            return "chart only";
        }
        return setting.inChart() ? "yes" : "no";
    }

    private static String defaultText(Setting<?> setting) {
        Default<?> value = setting.defaultValue();
        if (value instanceof Default.Constant<?> constant) {
            Object literal = constant.value();
            return literal instanceof Map<?, ?> map && map.isEmpty() ? "none" : "`" + (literal.equals("") ? "\"\"" : literal) + "`";
        }
        if (value instanceof Default.Derived<?> derived) {
            return derived.text();
        }
        if (value instanceof Default.Required) {
            return "required";
        }
        if (value instanceof Default.FromAnnotation<?> annotation) {
            return annotationDefaults(annotation.member());
        }
        return "none (optional)";
    }

    /** {@code @Resources.cpu} with the member's own default, read from the annotation type. */
    private static String annotationDefaults(String members) {
        List<String> parts = new ArrayList<>();
        for (String member : members.split(" / ")) {
            Matcher matcher = MEMBER.matcher(member);
            String text = "`" + member + "`";
            if (matcher.matches() && ANNOTATIONS.containsKey(matcher.group(1))) {
                try {
                    Object defaultValue = ANNOTATIONS.get(matcher.group(1)).getMethod(matcher.group(2)).getDefaultValue();
                    if (defaultValue != null) {
                        text += ", default `" + defaultValue + "`";
                    }
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(member + " names no annotation member", e);
                }
            }
            parts.add(text);
        }
        return String.join(" / ", parts);
    }
}
