#!/usr/bin/env python3
"""Loopback HTTP server for tests/cli/fetch.sh.

    server.py PORTFILE LOGFILE

Binds 127.0.0.1 on a free port, writes the port to PORTFILE, appends one
"METHOD PATH" line per request to LOGFILE, and serves until killed.  It
never opens a connection itself.  Routes:

    /pages/NAME          tests/fetch/pages/NAME (text/html, no charset)
    /cp1252              pages/cp1252.html with charset=windows-1252 in
                         the Content-Type header
    /redirect/N          N more redirects, then /pages/article.html
    /to-file             302 to file:///etc/passwd
    /status/CODE         always that status
    /flaky429            429 with Retry-After: 1 on the first request,
                         then the article
    /stall               headers and a little body, then silence
    /bomb                50 MB of zeros, gzip-compressed
    /slow/MS/NAME        /pages/NAME after MS milliseconds
"""
import gzip
import http.server
import os
import sys
import threading
import time

PAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")
seen = set()
lock = threading.Lock()
bomb = gzip.compress(b"\0" * (50 << 20), compresslevel=9)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def send(self, code, body=b"", ctype="text/html", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def page(self, name, ctype="text/html"):
        path = os.path.join(PAGES, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                self.send(200, f.read(), ctype)
        except OSError:
            self.send(404, b"<html><body>not found</body></html>")

    def do_GET(self):
        with open(sys.argv[2], "a") as log:
            log.write("GET %s\n" % self.path)
        parts = self.path.strip("/").split("/")
        route = parts[0]
        if route == "pages" and len(parts) == 2:
            self.page(parts[1])
        elif route == "cp1252":
            self.page("cp1252.html", "text/html; charset=windows-1252")
        elif route == "redirect" and len(parts) == 2:
            n = int(parts[1])
            to = "/redirect/%d" % (n - 1) if n > 0 else "/pages/article.html"
            self.send(302, b"", headers=[("Location", to)])
        elif route == "to-file":
            self.send(302, b"", headers=[("Location", "file:///etc/passwd")])
        elif route == "status" and len(parts) == 2:
            self.send(int(parts[1]), b"<html><body>error page</body></html>")
        elif route == "flaky429":
            with lock:
                first = "flaky429" not in seen
                seen.add("flaky429")
            if first:
                self.send(429, b"slow down", headers=[("Retry-After", "1")])
            else:
                self.page("article.html")
        elif route == "stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><body><p>A start")
            self.wfile.flush()
            time.sleep(30)
        elif route == "bomb":
            self.send(200, bomb, headers=[("Content-Encoding", "gzip")])
        elif route == "slow" and len(parts) == 3:
            time.sleep(int(parts[1]) / 1000)
            self.page(parts[2])
        else:
            self.send(404, b"<html><body>no such route</body></html>")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, sys.argv[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()
