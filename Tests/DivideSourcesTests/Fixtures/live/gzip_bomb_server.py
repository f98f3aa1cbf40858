"""Loopback server for the HTTP body budget test: /bomb answers 256 MiB of zeros sent as
Content-Encoding: gzip (about 256 KB on the wire), /stream 64 MiB of plain bytes in chunks with no
Content-Length, /medium 4 MiB of a known pattern, /small a short plain body. `--serve PATH FILE`
(repeatable) answers PATH with FILE's bytes, as Content-Encoding: gzip when FILE ends in .gz (a
test passes a bomb it built; /bomb is then not built). Prints "PORT <n>" and serves until its stdin closes."""
import gzip
import http.server
import sys
import threading

SERVED = {}
args = sys.argv[1:]
while len(args) >= 3 and args[0] == "--serve":
    with open(args[2], "rb") as f:
        SERVED[args[1]] = (f.read(), args[2].endswith(".gz"))
    args = args[3:]
# Built only when no file is served: it takes a few seconds and 256 MB.
BOMB = b"" if SERVED else gzip.compress(b"\0" * (256 << 20), compresslevel=9)


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
        if self.path in SERVED:
            body, encoded = SERVED[self.path]
        elif self.path == "/bomb":
            body, encoded = BOMB, True
        else:
            body, encoded = b"small body\n", False
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
