package dev.surge.gateway.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Many raw connections to 127.0.0.1 at once, watched by one thread with a selector: what a hostile client does
 * (connect and say nothing, say half a request, drip a byte at a time) and when the server closes each one.
 */
final class Sockets {

    private Sockets() {
    }

    /** A non-blocking connection to the server on loopback. */
    static SocketChannel open(int port) {
        try {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes all of {@code text}; a fresh loopback socket takes a few KB at once. */
    static void write(SocketChannel channel, String text) {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        try {
            for (int attempt = 0; buffer.hasRemaining() && attempt < 1000; attempt++) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (buffer.hasRemaining()) {
            throw new IllegalStateException("socket did not take " + text.length() + " bytes");
        }
    }

    /**
     * Reads every channel until {@code done} (given what it has read so far and whether the server closed it) says
     * so, or until the deadline. Answers, per channel, the {@link System#nanoTime} at which it was done; channels not
     * done by the deadline are missing.
     */
    static Map<SocketChannel, Long> readUntil(Collection<SocketChannel> channels,
                                              BiPredicate<ByteArrayOutputStream, Boolean> done, long deadlineNanos) {
        Map<SocketChannel, Long> finished = new HashMap<>();
        Map<SocketChannel, ByteArrayOutputStream> read = new HashMap<>();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : channels) {
                read.put(channel, new ByteArrayOutputStream());
                channel.register(selector, SelectionKey.OP_READ, channel);
            }
            while (finished.size() < channels.size() && System.nanoTime() < deadlineNanos) {
                long waitMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
                selector.select(Math.min(waitMillis, 200));
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel channel = (SocketChannel) key.attachment();
                    boolean closed;
                    buffer.clear();
                    try {
                        closed = channel.read(buffer) < 0;
                    } catch (IOException reset) {
                        closed = true; // reset by the server: closed all the same
                    }
                    read.get(channel).write(buffer.array(), 0, buffer.position());
                    if (done.test(read.get(channel), closed)) {
                        finished.put(channel, System.nanoTime());
                        key.cancel();
                    } else if (closed) {
                        key.cancel();
                    }
                }
            }
            for (SocketChannel channel : channels) {
                SelectionKey key = channel.keyFor(selector);
                if (key != null) {
                    key.cancel();
                }
            }
            selector.selectNow(); // deregisters the cancelled keys, so the channels can be used again
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finished;
    }

    /** Whether {@code bytes} hold one whole HTTP response with a Content-Length (every answer the tests provoke). */
    static boolean wholeResponse(ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String length = header(text.substring(0, end), "content-length");
        return length != null && text.length() - end - 4 >= Integer.parseInt(length);
    }

    /** The value of a header in a response head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static void closeAll(Collection<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** A response read over a blocking socket, as a customer's client would: status, head and body. */
    record Response(int status, String head, String body) {
    }

    /** Sends one request over a new connection and reads its response (the connection is closed after). */
    static Response exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed before a response");
            }
            head.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String length = header(text, "content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Response(Integer.parseInt(text.split(" ")[1]), text, new String(body, StandardCharsets.UTF_8));
    }
}
