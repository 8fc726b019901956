package app.growbin.runtime.celery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * kombu's body compression, both ways: the {@code compression} header names it and the body is
 * compressed after serialisation. {@code compression='gzip'} and {@code 'zlib'} both mean kombu's
 * {@code application/x-gzip}, which is a zlib stream ({@code zlib.compress}); {@code 'bzip2'} is
 * {@code application/x-bz2}. Decompression stops at a size bound (a small compressed body can expand
 * to gigabytes). Other codecs (lzma, brotli, zstd) are refused as {@code ContentDisallowed}.
 */
public enum Compression {
    ZLIB("application/x-gzip"),
    BZIP2("application/x-bz2");

    private final String contentType;

    Compression(String contentType) {
        this.contentType = contentType;
    }

    /** The value of the {@code compression} header. */
    public String contentType() {
        return contentType;
    }

    /** {@code gzip}, {@code zlib}, {@code bzip2}, or the content types themselves, as kombu accepts them. */
    public static Compression named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "gzip":
            case "zlib":
            case "application/x-gzip":
                return ZLIB;
            case "bzip2":
            case "application/x-bz2":
                return BZIP2;
            default:
                throw new CeleryExceptions.ContentDisallowed("compression " + name
                        + " is not supported (gzip, zlib and bzip2 are)");
        }
    }

    public byte[] compress(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (OutputStream z = this == ZLIB ? new DeflaterOutputStream(out) : new BZip2CompressorOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decompresses at most {@code maxBytes}; a larger or corrupt body is a permanent failure. */
    public byte[] decompress(byte[] body, long maxBytes) {
        try (InputStream in = open(body)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length * 4));
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0;) {
                total += n;
                if (total > maxBytes) {
                    throw new MessageTooLargeException("the decompressed body", total, maxBytes);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new MalformedMessageException("the body is not valid " + contentType + ": " + e.getMessage(), e);
        }
    }

    private InputStream open(byte[] body) throws IOException {
        ByteArrayInputStream raw = new ByteArrayInputStream(body);
        if (this == BZIP2) {
            return new BZip2CompressorInputStream(raw);
        }
        // kombu writes zlib; a real gzip stream (magic 1f 8b) from another producer is read too
        boolean gzip = body.length > 1 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
        return gzip ? new GZIPInputStream(raw) : new InflaterInputStream(raw);
    }
}
