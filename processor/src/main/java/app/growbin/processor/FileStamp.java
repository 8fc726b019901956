package app.growbin.processor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * What tells that a file was not touched since it was written, without reading it: its size,
 * modification time, and on Unix its change time and inode, as Git's index compares them. An edit,
 * a rewrite, a deletion and re-creation or a checkout changes at least one of them; the change time
 * cannot be set back by tools such as {@code touch}.
 */
final class FileStamp {

    private FileStamp() {}

    static String of(Path file) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
            return unix.get("size") + " " + nanos(unix.get("lastModifiedTime")) + " " + nanos(unix.get("ctime")) + " " + unix.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
            return basic.size() + " " + nanos(basic.lastModifiedTime()) + " " + nanos(basic.creationTime()) + " " + basic.fileKey();
        }
    }

    private static String nanos(Object time) {
        return time instanceof java.nio.file.attribute.FileTime fileTime
                ? String.valueOf(fileTime.to(java.util.concurrent.TimeUnit.NANOSECONDS)) : String.valueOf(time);
    }
}
