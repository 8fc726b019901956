package app.growbin.processor.validate;

import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.ScalarParser;
import app.growbin.processor.site.Site;
import app.growbin.processor.settings.KeyTree;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.ValueType;
import app.growbin.processor.read.ValuesFile;
import app.growbin.processor.read.YamlNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rules on the shape of a values file: known keys, right types, no contract keys, no credentials. */
final class ValuesRules {

    private final ProblemList problems;
    private final Map<String, Set<String>> serviceNames;

    /** @param serviceNames declared names per values section ({@code rest}, {@code async}) */
    ValuesRules(ProblemList problems, Map<String, Set<String>> serviceNames) {
        this.problems = problems;
        this.serviceNames = serviceNames;
    }

    void check(ValuesFile file) {
        walk(file, file.root(), KeyTree.VALUES_FILES, "");
    }

    private void walk(ValuesFile file, YamlNode.Mapping mapping, KeyTree schema, String prefix) {
        for (YamlNode.Entry entry : mapping.entries().values()) {
            String key = prefix.isEmpty() ? entry.key() : prefix + "." + entry.key();
            Site site = new Site.InValues(file.path(), entry.keyLine(), key);
            if (schema.type() == ValueType.SERVICES) {
                checkService(file, entry, schema, key, site);
                continue;
            }
            Optional<KeyTree> child = schema.child(entry.key());
            Optional<Setting<?>> contract = prefix.startsWith("api.") ? KeyTree.contractKey(entry.key()) : Optional.empty();
            if (child.isEmpty()) {
                if (contract.isPresent()) {
                    problems.add(Rule.VALUES_CONTRACT_KEY, site, "'" + key + "' is part of the code's contract ("
                            + contractOwner(contract.get()) + "); values files may change operations only; remove the key and change the annotation instead");
                } else {
                    problems.add(Rule.VALUES_UNKNOWN_KEY, site, "unknown key '" + key + "'; " + DidYouMean.hint(entry.key(), schema.children().keySet()));
                }
                continue;
            }
            if (child.get().baseOnly() && file.isOverlay()) {
                problems.add(Rule.VALUES_CONTRACT_KEY, site, "'" + key + "' may be set only in values.yaml, not per environment; remove it from " + file.fileName());
            }
            checkValue(file, entry.value(), child.get(), key, site);
        }
    }

    private void checkService(ValuesFile file, YamlNode.Entry entry, KeyTree schema, String key, Site site) {
        String section = key.substring("api.".length(), key.lastIndexOf('.'));
        Set<String> known = serviceNames.getOrDefault(section, Set.of());
        if (!known.contains(entry.key())) {
            problems.add(Rule.VALUES_UNKNOWN_SERVICE, site, "no " + ("rest".equals(section) ? "@RestService" : "@AsyncWorker")
                    + " is named '" + entry.key() + "'; " + DidYouMean.hint(entry.key(), known));
            return;
        }
        checkValue(file, entry.value(), schema.asServiceSection(), key, site);
    }

    private void checkValue(ValuesFile file, YamlNode value, KeyTree schema, String key, Site site) {
        if (value instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return;
        }
        switch (schema.type()) {
            case SECTION, SERVICES -> {
                if (value instanceof YamlNode.Mapping mapping) {
                    walk(file, mapping, schema, key);
                } else {
                    wrongType(site, key, schema.type(), value);
                }
            }
            case STRING_MAP -> {
                if (value instanceof YamlNode.Mapping mapping) {
                    for (YamlNode.Entry item : mapping.entries().values()) {
                        Site itemSite = new Site.InValues(file.path(), item.keyLine(), key + "." + item.key());
                        if (item.value() instanceof YamlNode.Scalar scalar) {
                            if (key.endsWith(".env")) {
                                EnvironmentRules.checkLiteral(item.key(), new app.growbin.processor.site.Located<>(scalar.text(), itemSite), problems,
                                        "reference a Secret with @SecretEnv instead");
                            } else {
                                checkCredential(scalar.text(), key + "." + item.key(), itemSite);
                            }
                        } else {
                            wrongType(itemSite, key + "." + item.key(), ValueType.STRING, item.value());
                        }
                    }
                } else {
                    wrongType(site, key, schema.type(), value);
                }
            }
            default -> checkScalar(value, schema.type(), key, site);
        }
    }

    private void checkScalar(YamlNode value, ValueType type, String key, Site site) {
        if (!(value instanceof YamlNode.Scalar scalar)) {
            wrongType(site, key, type, value);
            return;
        }
        String text = scalar.text();
        boolean ok = switch (type) {
            case INTEGER -> scalar.plain() && ScalarParser.integer(text).isPresent();
            case NUMBER -> scalar.plain() && ScalarParser.number(text).isPresent();
            case BOOLEAN -> scalar.plain() && ScalarParser.bool(text).isPresent();
            case DURATION -> Names.DURATION.matcher(text).matches();
            default -> true;
        };
        if (!ok) {
            wrongType(site, key, type, value);
        }
        if (type == ValueType.STRING) {
            checkCredential(text, key, site);
        }
    }

    private void checkCredential(String text, String key, Site site) {
        if (Names.hasPasswordInUrl(text)) {
            problems.add(Rule.PLAINTEXT_CREDENTIAL, site, "'" + key + "' is a URL with a password in plain text; it would be committed to Git; "
                    + "keep credentials in a Secret and reference it (celery.brokerSecret, @SecretEnv)");
        }
    }

    private void wrongType(Site site, String key, ValueType type, YamlNode value) {
        problems.add(Rule.VALUES_TYPE, site, "'" + key + "' must be " + type.description() + ", not " + YamlNode.describe(value));
    }

    private static String contractOwner(Setting<?> contract) {
        return contract.annotationMember().orElse(contract.key());
    }
}
