package app.growbin.runtime;

/** Answers one request. Throw {@link HttpException} for an error status; anything else is a 500. */
@FunctionalInterface
public interface Handler {

    Response handle(Request request) throws Exception;
}
