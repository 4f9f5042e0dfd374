package dev.ramp.server.http;

import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.stream.Subscriber;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Server-sent-event responses: held open asynchronously, and ended at the first write after their token is revoked. */
final class EventStreams {
    /**
     * The response buffer of a stream. Jetty holds a stream's buffer for as long as it is open, and its default of
     * 32 KiB made 10,000 streams hold 312 MiB of direct memory; frames larger than this are written past it.
     */
    static final int BUFFER_BYTES = 2048;

    private EventStreams() {}

    /**
     * Answers {@code ctx} with a {@code text/event-stream} held open, and hands {@code subscribe} the stream, which
     * reads the environment of the request's token; the response ends when the feed closes the stream.
     */
    static void open(Context ctx, TokenRegistry tokens, Consumer<Subscriber> subscribe) {
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        response.setBufferSize(BUFFER_BYTES);
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.future(() -> {
            try {
                response.flushBuffer();
                long tokenId = Requests.principal(ctx).tokenId();
                subscribe.accept(new ResponseSubscriber(Requests.principal(ctx).environment(), response.getOutputStream(),
                        done, () -> tokens.isLive(tokenId)));
            } catch (IOException e) {
                done.complete(null);
            }
            return done;
        });
    }

    /** A stream held open in an asynchronous servlet response; it ends at the first write after its token is revoked. */
    private record ResponseSubscriber(String environment, ServletOutputStream out, CompletableFuture<Void> done,
                                      BooleanSupplier tokenLive) implements Subscriber {
        @Override
        public void write(byte[] frame) throws IOException {
            if (!tokenLive.getAsBoolean()) {
                throw new IOException("the stream's token was revoked");
            }
            out.write(frame);
            out.flush();
        }

        @Override
        public void close() {
            done.complete(null);
        }
    }
}
