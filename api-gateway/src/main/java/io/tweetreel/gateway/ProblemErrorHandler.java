package io.tweetreel.gateway;

import io.tweetreel.core.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the routes (a URI it refuses, such as an encoded
 * {@code ..} or bad UTF-8; headers too large), as problem documents like every other error, instead of Jetty's
 * HTML page. Jetty's short reason is kept as the detail; no stack traces.
 */
final class ProblemErrorHandler extends ErrorHandler {
    ProblemErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        String detail = message == null
                        || message.isBlank()
                        || message.length() > 200
                        || !message.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                ? Problem.reason(code)
                : message;
        Problem problem = new Problem("about:blank", Problem.reason(code), code, detail, null, null, Map.of());
        byte[] body = Json.MAPPER.writeValueAsBytes(problem);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
