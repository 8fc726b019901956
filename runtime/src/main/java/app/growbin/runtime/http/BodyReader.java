package app.growbin.runtime.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking a thread: whatever has arrived is copied, then Jetty is asked
 * to call back when more arrives. Stops at {@code maxBytes} (then {@link TooLarge}) or when aborted
 * (the body timeout). Runs on Jetty's threads.
 */
final class BodyReader implements Runnable {

    /** The body passed the cap. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("body too large", null, false, false);
        }
    }

    /** The body did not arrive in time. */
    static final class TimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super("body timeout", null, false, false);
        }
    }

    private final Request request;
    private final int maxBytes;
    private final ByteArrayOutputStream out;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private int total;

    BodyReader(Request request, int maxBytes, int expected) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.out = new ByteArrayOutputStream(Math.max(256, expected));
    }

    CompletableFuture<byte[]> result() {
        return result;
    }

    void abort(RuntimeException reason) {
        result.completeExceptionally(reason);
    }

    @Override
    public void run() {
        while (!result.isDone()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                result.completeExceptionally(chunk.getFailure());
                return;
            }
            try {
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                if ((long) total + n > maxBytes) {
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                total += n;
                if (bytes.hasArray()) {
                    out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
                } else {
                    byte[] copy = new byte[n];
                    bytes.get(copy);
                    out.write(copy, 0, n);
                }
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                result.complete(out.toByteArray());
                return;
            }
        }
    }
}
