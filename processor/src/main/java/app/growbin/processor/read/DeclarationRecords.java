package app.growbin.processor.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

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

    /** Which records count. */
    public interface Filter {
        /** The class is compiled now: its record is skipped unread (its class name is in the file name). */
        boolean compiledNow(String className);

        /** Whether the declaration of a record read counts. */
        boolean wanted(String className, DeclaredWorkload declared);
    }

    /**
     * The records of {@code folder}.
     *
     * @param filter which records count: not those of classes this compilation compiles (their elements
     *               are read instead; their records are not even parsed), nor those of classes that no
     *               longer exist or no longer carry the annotation (stale records)
     */
    public static Result read(Path folder, Filter filter) {
        if (!Files.isDirectory(folder)) {
            return Result.none();
        }
        List<DeclaredWorkload> workloads = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(folder)) {
            for (Path file : list) {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(files);
        for (Path file : files) {
            Optional<String> recordName = DeclarationRecord.recordName(file.getFileName().toString());
            if (recordName.isEmpty() || recordName.get().lastIndexOf('.') > 0
                    && filter.compiledNow(recordName.get().substring(0, recordName.get().lastIndexOf('.')))) {
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
            } else if (filter.wanted(declared.get().className(), declared.get())) {
                workloads.add(declared.get());
            }
        }
        return new Result(workloads, unreadable);
    }
}
