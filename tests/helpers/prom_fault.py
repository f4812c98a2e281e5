#!/usr/bin/env python3
"""Test helper: an HTTP proxy in front of a Prometheus that misbehaves on
demand. Each request reads the mode from MODE_FILE:
  pass       forward to UPSTREAM (http://host:port) and answer what it says
  slow:S     wait S seconds, then forward
  500        HTTP 500 with a short text body
  big        a 50 MB body (JSON that never closes), without a length
  badjson    HTTP 200 with a body that is not JSON
  down       close the connection without an answer
and appends one line per request to RECORD: the method, the path and the
Authorization header ("-" if none).

usage: prom_fault.py PORT UPSTREAM MODE_FILE RECORD
It prints "ready PORT" on stdout once listening.
"""
import http.server
import socketserver
import sys
import time
import urllib.error
import urllib.request

PORT, UPSTREAM, MODE_FILE, RECORD = sys.argv[1:5]


def mode():
    try:
        with open(MODE_FILE) as f:
            return f.read().strip() or "pass"
    except OSError:
        return "pass"


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def handle_any(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        with open(RECORD, "a") as f:
            f.write("%s %s %s\n" % (method, self.path,
                                    self.headers.get("Authorization", "-")))
        m = mode()
        if m.startswith("slow:"):
            time.sleep(float(m[5:]))
            m = "pass"
        if m == "down":
            self.close_connection = True
            self.connection.close()
            return
        if m == "500":
            return self.reply(500, b"internal error\n", "text/plain")
        if m == "badjson":
            return self.reply(200, b"{\"status\":\"success\",\"data\":{oops",
                              "application/json")
        if m == "big":
            chunk = b"[" + b"0," * 512 * 1024
            # no Content-Length: the client learns the size by reading
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            sent = 0
            try:
                while sent < 50 * 1000 * 1000:
                    c = chunk[:50 * 1000 * 1000 - sent]
                    self.wfile.write(c)
                    sent += len(c)
            except OSError:
                pass
            self.close_connection = True
            return
        req = urllib.request.Request(UPSTREAM + self.path, data=body,
                                     method=method)
        if body is not None:
            req.add_header("Content-Type",
                           self.headers.get("Content-Type",
                                            "application/x-www-form-urlencoded"))
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                self.reply(r.status, r.read(), r.headers.get("Content-Type"))
        except urllib.error.HTTPError as e:
            self.reply(e.code, e.read(), e.headers.get("Content-Type"))
        except OSError as e:
            self.reply(502, ("upstream: %s\n" % e).encode(), "text/plain")

    def reply(self, code, data, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype or "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


s = S(("127.0.0.1", int(PORT)), H)
print("ready", s.server_address[1], flush=True)
s.serve_forever()
