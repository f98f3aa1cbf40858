#!/usr/bin/env python3
"""Loopback test server for the live fetch (127.0.0.1 only, stdlib only).

Serves the snapshot's real data the way the upstream services do, and injects faults on demand:

  /oai?verb=ListRecords&...          arXiv OAI-PMH: the snapshot's pages 1..N of arxiv-oai/cs-2016-03,
                                     re-chained by rewritten resumption tokens (the last page ends the
                                     list); set other than `cs` or `from` on/after the harvest date:
                                     noRecordsMatch; an unknown token: badResumptionToken.
  /openalex/works?cursor=...         OpenAlex works list pages built from the snapshot's real works
                                     (W2741809807, then W-api-response), cursor paged; a filter with
                                     from_created_date: gives an empty list.
  /files/<path>                      <snapshot>/<path>.gz with ETag / Last-Modified, 304 on a match,
                                     gzip transfer encoding when accepted (a `.gz` path is sent as is).
  /_control/fault?key=K&actions=a,b  queue faults for a route key (oai:<page>, openalex:<page>, files:<path>):
                                     503, 429 (Retry-After 1), 429-day (Retry-After 86400), 500, truncate
                                     (Content-Length kept, half the body, close), truncate-nolength, drop
                                     (close without a response), slow (answer after --slow seconds),
                                     badResumptionToken (OAI error).
  /_control/log                      JSON list of the requests seen (path, query, headers, time, answer).
  /_control/reset                    forget faults and log; /_control/expire-tokens: new token generation;
  /_control/mutate?path=P            from now on serve CSV file P with one more row (a new upstream version).

Prints `PORT <n>` on stdout once listening. Stops on SIGTERM or when stdin closes.
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HARVEST_DAY = "2016-03-09"  # responseDate of the snapshot harvest
LAST_MODIFIED = "Mon, 26 Jan 2026 00:00:00 GMT"


class State:
    def __init__(self, snapshot, pages, slow):
        self.snapshot = snapshot
        self.slow = slow
        self.lock = threading.Lock()
        self.faults = {}
        self.log = []
        self.generation = 1
        self.mutated = set()
        folder = os.path.join(snapshot, "arxiv-oai", "cs-2016-03")
        self.pages = []
        for n in range(1, pages + 1):
            with gzip.open(os.path.join(folder, "page-%03d.xml.gz" % n), "rb") as f:
                self.pages.append(f.read())
        works = []
        for name in ("W2741809807.json.gz", "W-api-response.json.gz"):
            with gzip.open(os.path.join(snapshot, "openalex", name), "rb") as f:
                works.append(json.loads(f.read()))
        self.works = works

    def next_fault(self, key):
        with self.lock:
            queue = self.faults.get(key)
            if queue:
                return queue.pop(0)
        return None

    def oai_page(self, n):
        """Page n (1-based) with its resumptionToken rewritten to this server's chain."""
        body = self.pages[n - 1]
        if n < len(self.pages):
            token = b"tok-%d-%d" % (self.generation, n + 1)
        else:
            token = b""
        body = re.sub(rb"(<resumptionToken[^>]*>)[^<]*(</resumptionToken>)",
                      lambda m: m.group(1) + token + m.group(2), body, count=1)
        # The <request> echo names the token this page was asked with, as a real server's does.
        if n > 1:
            asked = b"tok-%d-%d" % (self.generation, n)
            body = re.sub(rb'(<request[^>]*resumptionToken=")[^"]*(")', lambda m: m.group(1) + asked + m.group(2), body, count=1)
        return body


def oai_error(code, message):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2016-03-09T00:40:00Z</responseDate>
<request verb="ListRecords">http://export.arxiv.org/oai2</request>
<error code="%s">%s</error>
</OAI-PMH>
""" % (code, message)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    state = None  # set by main

    def log_message(self, fmt, *args):  # quiet
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def do_GET(self):
        split = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        path = split.path
        if path.startswith("/_control/"):
            return self.control(path, query)
        entry = {
            "path": path, "query": query, "time": time.time(),
            "headers": {k.lower(): v for k, v in self.headers.items()
                        if k.lower() in ("user-agent", "accept-encoding", "if-none-match", "if-modified-since")},
        }
        try:
            if path == "/oai":
                key, status, body, headers = self.oai(query)
            elif path == "/openalex/works":
                key, status, body, headers = self.openalex(query)
            elif path.startswith("/files/"):
                key, status, body, headers = self.files(path[len("/files/"):])
            else:
                key, status, body, headers = "none", 404, b"not found\n", {}
        except Exception as e:  # a server bug should show in the test, not hang it
            key, status, body, headers = "error", 500, ("%r\n" % e).encode(), {}
        fault = self.state.next_fault(key)
        entry.update({"key": key, "status": status, "fault": fault})
        with self.state.lock:
            self.state.log.append(entry)
        self.answer(status, body, headers, fault)

    # ---- routes -----------------------------------------------------------------------
    def oai(self, q):
        st = self.state
        if q.get("verb") != "ListRecords":
            return "oai:bad", 200, oai_error("badVerb", "only ListRecords here"), {"Content-Type": "text/xml"}
        if "resumptionToken" in q:
            m = re.fullmatch(r"tok-(\d+)-(\d+)", q["resumptionToken"])
            if not m or int(m.group(1)) != st.generation or not 2 <= int(m.group(2)) <= len(st.pages):
                return "oai:token", 200, oai_error("badResumptionToken", "expired"), {"Content-Type": "text/xml"}
            n = int(m.group(2))
        else:
            if q.get("metadataPrefix") != "arXiv":
                return "oai:1", 200, oai_error("cannotDisseminateFormat", "arXiv only"), {"Content-Type": "text/xml"}
            if q.get("set", "cs") != "cs" or q.get("from", "0000") >= HARVEST_DAY:
                return "oai:1", 200, oai_error("noRecordsMatch", "no records in this window"), {"Content-Type": "text/xml"}
            n = 1
        return "oai:%d" % n, 200, st.oai_page(n), {"Content-Type": "text/xml"}

    def openalex(self, q):
        st = self.state
        if "from_created_date:" in q.get("filter", ""):
            results, nxt, n = [], None, 1
        else:
            cursor = q.get("cursor", "*")
            n = 1 if cursor == "*" else int(cursor[1:]) if re.fullmatch(r"c\d+", cursor) else 0
            if n < 1:
                return "openalex:bad", 400, b'{"error":"bad cursor"}', {"Content-Type": "application/json"}
            results = st.works[n - 1:n]
            nxt = "c%d" % (n + 1) if results else None
        body = {"meta": {"count": len(st.works), "db_response_time_ms": 12, "page": None,
                         "per_page": 1, "next_cursor": nxt, "groups_count": None},
                "results": results, "group_by": []}
        return "openalex:%d" % n, 200, json.dumps(body).encode(), {"Content-Type": "application/json"}

    def files(self, rel):
        st = self.state
        raw = rel.endswith(".gz")
        source = os.path.realpath(os.path.join(st.snapshot, rel if raw else rel + ".gz"))
        if not source.startswith(os.path.realpath(st.snapshot) + os.sep) or not os.path.isfile(source):
            return "files:" + rel, 404, b"not found\n", {}
        with open(source, "rb") as f:
            stored = f.read()
        if rel in st.mutated and rel.endswith(".csv"):
            # Upstream published a new version: one more (empty) row.
            import csv, io
            text = gzip.decompress(stored).decode("utf-8-sig")
            width = len(next(csv.reader(io.StringIO(text))))
            stored = gzip.compress((text + ("" if text.endswith("\n") else "\n")
                                    + "Mutated model" + "," * (width - 1) + "\n").encode(), 6, mtime=0)
        etag = '"%s"' % hashlib.sha256(stored).hexdigest()[:20]
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == LAST_MODIFIED):
            return "files:" + rel, 304, b"", headers
        if raw:
            headers["Content-Type"] = "application/gzip"
            return "files:" + rel, 200, stored, headers
        headers["Content-Type"] = "text/csv" if rel.endswith(".csv") else "application/octet-stream"
        headers["X-Already-Gzip"] = "1"
        return "files:" + rel, 200, stored, headers

    # ---- answering, with faults -------------------------------------------------------
    def answer(self, status, body, headers, fault):
        gz_ready = headers.pop("X-Already-Gzip", None)
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if status == 200 and accepts_gzip and body:
            if not gz_ready:
                body = gzip.compress(body, 1)
            headers["Content-Encoding"] = "gzip"
        elif gz_ready:
            body = gzip.decompress(body)
        if fault in ("503", "429", "429-day", "500"):
            code = int(fault[:3])
            self.send_response(code)
            if fault != "500":
                self.send_header("Retry-After", "86400" if fault == "429-day" else "1")
            msg = b"try later\n"
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "slow":
            time.sleep(self.state.slow)
        if fault == "badResumptionToken":
            status, body, headers = 200, oai_error("badResumptionToken", "expired"), {"Content-Type": "text/xml"}
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if fault == "truncate-nolength":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if status != 304:
            self.wfile.write(body)

    def control(self, path, q):
        st = self.state
        if path == "/_control/fault":
            with st.lock:
                st.faults.setdefault(q["key"], []).extend(a for a in q.get("actions", "").split(",") if a)
            body = b"ok\n"
        elif path == "/_control/log":
            with st.lock:
                body = json.dumps(st.log).encode()
        elif path == "/_control/reset":
            with st.lock:
                st.faults.clear()
                st.log.clear()
            body = b"ok\n"
        elif path == "/_control/mutate":
            with st.lock:
                st.mutated.add(q["path"])
            body = b"ok\n"
        elif path == "/_control/expire-tokens":
            with st.lock:
                st.generation += 1
            body = b"ok\n"
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_snapshot = os.environ.get("SNAPSHOT") or os.path.join(here, "../../../../../shared/snapshot")
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", default=default_snapshot)
    ap.add_argument("--pages", type=int, default=3)
    ap.add_argument("--slow", type=float, default=3.0)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    Handler.state = State(os.path.abspath(args.snapshot), args.pages, args.slow)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    # Stop when the test process goes away (stdin closes), whatever happens to it.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
