"""The production server: gunicorn worker processes, each answering with a couple of threads.

Searching is Python work that holds the interpreter lock, so one process uses one core
however many threads it has: on the 2-core reference machine a single process served ~24
requests/s and 8 clients queued behind it. gunicorn forks ``workers`` processes that share
the listening socket (one per core is the useful number); each runs the app with
``threads`` threads, so a slow request (a file download, a cold index generation) does not
hold up the others. Few threads (two by default): the threads of a process share its core,
so a slow search slows every request beside it. Every process reads the live index
generation on each search, so an import or a reindex shows without a restart.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from ..errors import ReslibError
from ..search import SearchRequest, search
from .errors import error_response

log = logging.getLogger(__name__)


def default_workers() -> int:
    """One process per core, at most 8 (each holds its own searchers and caches)."""
    return max(1, min(8, os.cpu_count() or 1))


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


#: The longest request line gunicorn can read (its maximum): a 500-character Burmese query
#: is about 4,500 bytes once percent-encoded, so the site's own limits answer before this.
REQUEST_LINE_LIMIT = 8190

#: What the site says when a request is too large for the server to read at all.
_TOO_LARGE = {
    LimitRequestLine: (414, "this address is too long: please shorten the search"),
    LimitRequestHeaders: (431, "this request's headers are too large"),
}


def too_large_response(app: Flask, status: int, message: str) -> bytes:
    """The site's own error page (its layout and security headers) as raw HTTP bytes, for a
    request gunicorn refused before the app could see it; in English, as that request's
    headers were never read."""
    with app.test_request_context("/"):
        app.preprocess_request()
        response = app.process_response(error_response(status, message))
        body = response.get_data()
    head = [f"HTTP/1.1 {response.status}", "Connection: close", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in response.headers.items() if k.lower() != "content-length"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class WholeResponse(wsgi.Response):  # type: ignore[misc]
    """gunicorn's response, sending the status line and headers in the same write as the
    first body bytes (gunicorn writes them apart).

    A server killed between those two writes (SIGKILL, a machine that dies) leaves a
    response cut after its headers, which no load balancer may retry: the client gets a
    broken answer. In one write, a killed server has sent either nothing, which HAProxy
    retries on another replica, or the whole of a response the site sends in one piece
    (every page and JSON answer; files are streamed in blocks)."""

    _head = b""

    def send_headers(self) -> None:
        if self.headers_sent:
            return
        lines = self.default_headers()
        lines.extend(f"{k}: {v}\r\n" for k, v in self.headers)
        self._head = ("".join(lines) + "\r\n").encode("latin-1")
        self.headers_sent = True

    def _emit_body(self, data: bytes) -> None:
        head, self._head = self._head, b""
        if self.chunked:
            data = b"%X\r\n%s\r\n" % (len(data), data)
        self.sock.sendall(head + data)

    def close(self) -> None:
        self.send_headers()  # a response without a body (HEAD, 304) has not sent them yet
        head, self._head = self._head, b""
        if head:
            self.sock.sendall(head)
        super().close()


class _Worker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, answering the requests it cannot read with the site's own
    error page instead of gunicorn's bare text (which has none of the security headers),
    and writing each response's head with its body (``WholeResponse``)."""

    def init_process(self) -> None:
        # gunicorn builds every response through ``wsgi.create``, which takes the class
        # from its module: this worker process's responses are ``WholeResponse``s.
        wsgi.Response = WholeResponse
        super().init_process()

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        for kind, (status, message) in _TOO_LARGE.items():
            if isinstance(exc, kind):
                self.log.warning("refused a request: %s", exc)
                with contextlib.suppress(OSError):  # the client went away
                    client.sendall(too_large_response(self.wsgi, status, message))
                return
        super().handle_error(req, client, addr, exc)


def _warm(app: Flask) -> None:
    """One empty search, so the per-generation tables (facets, dates, translation groups)
    are built before the first visitor asks, not during their request."""
    try:
        replica = app.extensions.get("reslib_replica")
        if replica is not None:
            replica.refresh(wait=True)
        else:
            search(app.config["RESLIB_HOME"], SearchRequest())
    except ReslibError as exc:  # no index yet: the first request will say so
        log.warning("reslib: not warmed up: %s", exc)


def serve(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` until interrupted (SIGINT or SIGTERM stop the workers gracefully)."""
    _Server(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": _Worker,
            "limit_request_line": REQUEST_LINE_LIMIT,
            "threads": threads,
            # A search that takes this long is a bug; gunicorn replaces the stuck worker.
            "timeout": 60,
            "graceful_timeout": 10,
            "keepalive": 5,
            # Files go through WholeResponse's writes, not sendfile (which would send the
            # body before the head it holds back).
            "sendfile": False,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "reslib",
            # In the background: the worker answers requests while it warms up.
            "post_worker_init": lambda worker: threading.Thread(
                target=_warm, args=(app,), daemon=True
            ).start(),
        },
    ).run()
