package dev.pwcheck.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, for request lines that HTTP clients would tidy up before sending (//, /./, %76). */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code POST <path>} with a JSON body exactly as written and returns the status code. */
    public static int postStatus(URL base, String path, String json) throws Exception {
        return status(base, "POST " + path, "Content-Type: application/json\r\n", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code GET <path>} exactly as written and returns the status code. */
    public static int getStatus(URL base, String path) throws Exception {
        return status(base, "GET " + path, "", new byte[0]);
    }

    /**
     * Sends {@code GET <path>} with extra header lines (each ending in CRLF) from {@code local}, one of the loopback
     * addresses (127.0.0.2, 127.0.0.3, ...), so that one test can be several clients; returns the status code.
     */
    public static int getStatusFrom(InetAddress local, URL base, String path, String headers) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort(), local, 0)) {
            return exchange(socket, base, "GET " + path, headers, new byte[0]);
        }
    }

    private static int status(URL base, String requestLine, String headers, byte[] body) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            return exchange(socket, base, requestLine, headers, body);
        }
    }

    private static int exchange(Socket socket, URL base, String requestLine, String headers, byte[] body) throws Exception {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write((requestLine + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n" + headers
                + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "") + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        return Integer.parseInt(status.split(" ")[1]);
    }
}
