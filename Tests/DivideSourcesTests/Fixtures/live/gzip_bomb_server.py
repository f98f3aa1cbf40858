"""Loopback server for the HTTP body budget test: /bomb answers 256 MiB of zeros sent as
Content-Encoding: gzip (about 256 KB on the wire), /stream 64 MiB of plain bytes in chunks with no
Content-Length, /medium 4 MiB of a known pattern, /small a short plain body. Prints
"PORT <n>" and serves until its stdin closes."""
import gzip
import http.server
import sys
import threading

BOMB = gzip.compress(b"\0" * (256 << 20), compresslevel=9)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path == "/stream":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * (1 << 20)
            try:
                for _ in range(64):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if self.path == "/medium":
            body = bytes(range(256)) * (4 << 12)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        body, encoded = (BOMB, True) if self.path == "/bomb" else (b"small body\n", False)
        self.send_response(200)
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
