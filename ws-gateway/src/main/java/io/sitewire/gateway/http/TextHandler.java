package io.sitewire.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/** A GET endpoint answering a small text body: /healthz, /readyz, /metrics. */
public final class TextHandler extends Handler.Abstract.NonBlocking {

    /** A status and a body. */
    public record Answer(int status, String contentType, String body) {
    }

    private final Supplier<Answer> answer;

    public TextHandler(final Supplier<Answer> answer) {
        this.answer = answer;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            Response.writeError(request, response, callback, 405);
            return true;
        }
        final Answer a = answer.get();
        response.setStatus(a.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, BufferUtil.toBuffer(a.body(), StandardCharsets.UTF_8), callback);
        return true;
    }
}
