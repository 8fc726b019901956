package app.growbin.processor.read;

import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything the annotations of one compilation declare.
 *
 * @param workloads every {@code @RestService} and {@code @AsyncWorker} class, in source-name order
 * @param orphanTasks {@code @Task} methods whose class is no worker
 * @param orphanModifiers modifier annotations ({@code @Resources}, ...) on a class that is neither kind
 * @param runtimeOnClasspath whether growbin-runtime is on the compile classpath; only then are the
 *                           catalog and task clients generated
 */
public record Declarations(List<DeclaredWorkload> workloads, List<Site> orphanTasks, List<Located<String>> orphanModifiers,
                           boolean runtimeOnClasspath) {

    public Declarations {
        workloads = List.copyOf(workloads);
        orphanTasks = List.copyOf(orphanTasks);
        orphanModifiers = List.copyOf(orphanModifiers);
    }

    /**
     * These declarations and those of classes compiled earlier ({@link DeclarationRecords}), in
     * class-name order, as if every class had been compiled now.
     */
    public Declarations withEarlier(List<DeclaredWorkload> earlier) {
        List<DeclaredWorkload> all = new ArrayList<>(workloads);
        all.addAll(earlier);
        all.sort(new Comparator<DeclaredWorkload>() { // not a lambda: every compilation runs this, and a lambda costs a class spun at its first call
            @Override
            public int compare(DeclaredWorkload a, DeclaredWorkload b) {
                return a.className().compareTo(b.className());
            }
        });
        return new Declarations(all, orphanTasks, orphanModifiers, runtimeOnClasspath);
    }
}
