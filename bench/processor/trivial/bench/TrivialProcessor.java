package bench;

import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The floor a processor cannot go below: it writes one file per {@code @RestService} class (its name
 * and path) into the class output, with the class as originating element, and does nothing else.
 * bench/processor.sh compares the Growbin processor's no-op compile with it.
 */
public final class TrivialProcessor extends AbstractProcessor {

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("app.growbin.annotations.RestService");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                String name = ((TypeElement) element).getQualifiedName().toString();
                try {
                    FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", "META-INF/trivial/" + name + ".txt", element);
                    try (Writer writer = file.openWriter()) {
                        writer.write(name + " " + element.getAnnotationMirrors() + "\n");
                    }
                } catch (IOException e) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "trivial: " + e, element);
                }
            }
        }
        return false;
    }
}
