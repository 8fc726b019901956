package app.growbin.runtime;

/** An error answer: its status and a message that goes to the client as {@code {"error": ...}}. */
public class HttpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpException badRequest(String message) {
        return new HttpException(400, message);
    }

    public static HttpException notFound(String message) {
        return new HttpException(404, message);
    }

    public static HttpException unauthorized(String message) {
        return new HttpException(401, message);
    }
}
