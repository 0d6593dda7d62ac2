#!/usr/bin/env python3
"""tools/viz/live.py SNAPSHOTS PORT - the memory picture while the kernel runs
(`make run VIZ=live`, tools/viz/live.sh).

Serves, on 127.0.0.1:PORT only:
    /                   the page of tools/viz/memviz.py, with no snapshots in it
    /snapshots?from=N   the snapshots from the N-th on, as a JSON array: the
                        whole lines QEMU has written to SNAPSHOTS so far
The page asks for new ones every second and moves along with them while
its slider is at the last one. Python 3 standard library only.
"""
import http.server
import json
import os
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memviz  # noqa: E402


def whole_lines(path, start):
    """Snapshots start, start+1, ... of the file: the lines that end in a newline."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")[:-1]      # the last piece is not finished yet
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines[start:] if line.strip()]


def make_handler(snapshots, page):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path == "/":
                self.reply(page, "text/html; charset=utf-8")
            elif url.path == "/snapshots":
                start = int(urllib.parse.parse_qs(url.query).get("from", ["0"])[0])
                self.reply(json.dumps(whole_lines(snapshots, start)).encode(), "application/json")
            else:
                self.send_error(404)

        def reply(self, body, kind):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass                        # quiet: the console belongs to the kernel

    return Handler


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    snapshots, port = sys.argv[1], int(sys.argv[2])
    with tempfile.NamedTemporaryFile(suffix=".html") as tmp:
        memviz.write_page([], tmp.name, "pagoda: memory, live", live=True)
        page = open(tmp.name, "rb").read()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(snapshots, page))
    server.serve_forever()


if __name__ == "__main__":
    main()
