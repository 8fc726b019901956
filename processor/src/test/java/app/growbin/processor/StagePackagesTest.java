package app.growbin.processor;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The processor's stages pass data one way: read → validate → model → render → write, over the
 * shared vocabulary of {@code site}, {@code problem} and {@code settings}. No package may depend on a
 * package that depends back on it, directly or around a longer cycle.
 */
class StagePackagesTest {

    private static final JavaClasses PROCESSOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("app.growbin.processor");

    @Test
    void stagePackagesAreFreeOfCycles() {
        ArchRule rule = slices().matching("app.growbin.processor.(**)").should().beFreeOfCycles();
        rule.check(PROCESSOR);
    }

    @Test
    void theSettingsTableAndTheSitesDependOnNoStage() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAnyPackage("app.growbin.processor.settings..", "app.growbin.processor.site..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "app.growbin.processor.read..", "app.growbin.processor.validate..", "app.growbin.processor.model..",
                        "app.growbin.processor.render..", "app.growbin.processor.write..", "app.growbin.processor.problem..");
        rule.check(PROCESSOR);
    }
}
