package app.growbin.processor.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * Reads the declaration records ({@link DeclarationRecord}) that earlier compilations left in the
 * class output, for the classes the current compilation does not compile.
 */
public final class DeclarationRecords {

    /**
     * What was read.
     *
     * @param workloads the declarations of the records whose class still declares them, by class name
     * @param unreadable records that could not be read (written by another processor version, or damaged)
     */
    public record Result(List<DeclaredWorkload> workloads, List<String> unreadable) {
        public Result {
            workloads = List.copyOf(workloads);
            unreadable = List.copyOf(unreadable);
        }

        public static Result none() {
            return new Result(List.of(), List.of());
        }
    }

    private DeclarationRecords() {}

    /**
     * The records of {@code folder}.
     *
     * @param wanted given a record's class name and its declaration, whether to use it: false for a
     *               class this compilation compiles (its element is read instead) and for a class that
     *               no longer exists or no longer carries the annotation (a stale record)
     */
    public static Result read(Path folder, BiPredicate<String, DeclaredWorkload> wanted) {
        return read(folder, className -> false, wanted);
    }

    /**
     * As {@link #read(Path, BiPredicate)}, without even parsing the records of the classes {@code compiledNow}
     * accepts (their class name is in the record's file name): this compilation declares those itself.
     */
    public static Result read(Path folder, java.util.function.Predicate<String> compiledNow, BiPredicate<String, DeclaredWorkload> wanted) {
        if (!Files.isDirectory(folder)) {
            return Result.none();
        }
        List<DeclaredWorkload> workloads = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            Optional<String> recordName = DeclarationRecord.recordName(file.getFileName().toString());
            if (recordName.isEmpty() || recordName.get().lastIndexOf('.') > 0
                    && compiledNow.test(recordName.get().substring(0, recordName.get().lastIndexOf('.')))) {
                continue;
            }
            Optional<DeclaredWorkload> declared;
            try {
                declared = DeclarationRecord.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | IllegalArgumentException e) {
                unreadable.add(file.getFileName().toString());
                continue;
            }
            if (declared.isEmpty() || !DeclarationRecord.fileName(declared.get()).equals(file.getFileName().toString())) {
                unreadable.add(file.getFileName().toString());
            } else if (wanted.test(declared.get().className(), declared.get())) {
                workloads.add(declared.get());
            }
        }
        return new Result(workloads, unreadable);
    }
}
