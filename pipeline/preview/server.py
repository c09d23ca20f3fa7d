"""The preview's HTTP server: the page, its status, the PDF and pdf.js, on 127.0.0.1 only.

Routes: `/` (the page), `/page/*` (its script and style, shipped beside this module),
`/status.json` (the session's snapshot; `?after=R` waits up to a few seconds for a
revision other than R), `/pdf/<build>/<name>.pdf` (a recent good PDF, from memory), and
`/pdfjs/*` (npm's `pdfjs-dist`, installed by `make setup` into `node_modules/`) and
`/fonts/*.otf` (the shipped fonts, for the page's own Chinese text). Nothing
else is served, nothing is fetched from elsewhere, and the server listens on the
loopback address alone: an unfinished briefing never leaves the editor's machine.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..house import REPO_ROOT
from .session import PreviewSession

HOST = "127.0.0.1"
PAGE_DIR = Path(__file__).resolve().parent / "page"
PDFJS_DIR = REPO_ROOT / "node_modules" / "pdfjs-dist"
PDFJS_FILES = ("build/pdf.min.mjs", "build/pdf.worker.min.mjs")
FONT_SUFFIXES = (".otf", ".ttf")
LONG_POLL_SECONDS = 10.0
mimetypes.add_type("text/javascript", ".mjs")


def missing_pdfjs(pdfjs_dir: Path = PDFJS_DIR) -> list[Path]:
    return [pdfjs_dir / name for name in PDFJS_FILES if not (pdfjs_dir / name).is_file()]


def _file_under(root: Path, relative: str) -> Path | None:
    """`root/relative` if it is a file inside `root` (no `..` escapes), else None."""
    path = (root / unquote(relative)).resolve()
    if path.is_relative_to(root.resolve()) and path.is_file():
        return path
    return None


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, session: PreviewSession, port: int) -> None:
        self.session = session
        self.stopping = threading.Event()
        super().__init__((HOST, port), PreviewHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # requests are not the editor's business

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if path in ("/", "/index.html"):
            self._send_file(PAGE_DIR / "index.html")
        elif path == "/status.json":
            self._send_status(parse_qs(parts.query))
        elif path.startswith("/pdf/"):
            data = self.server.session.pdf_bytes(path)
            if data is None:
                self._send_error(HTTPStatus.NOT_FOUND)
            else:
                self._send(data, "application/pdf")
        elif path.startswith("/page/"):
            self._send_file(_file_under(PAGE_DIR, path.removeprefix("/page/")))
        elif path.startswith("/fonts/") and path.endswith(FONT_SUFFIXES):
            # The page's own Chinese text uses the shipped sans: the machine may have no CJK font.
            fonts_dir = self.server.session.builder.fonts_dir
            self._send_file(_file_under(fonts_dir, path.removeprefix("/fonts/")), cache=True)
        elif path == "/favicon.ico":
            self._send(b"", "image/x-icon", status=HTTPStatus.NO_CONTENT)
        elif path.startswith("/pdfjs/"):
            self._send_file(_file_under(PDFJS_DIR, path.removeprefix("/pdfjs/")), cache=True)
        else:
            self._send_error(HTTPStatus.NOT_FOUND)

    def _send_status(self, query: dict[str, list[str]]) -> None:
        session = self.server.session
        after = query.get("after", [""])[0]
        if after.lstrip("-").isdigit() and not self.server.stopping.is_set():
            snapshot = session.wait_after(int(after), LONG_POLL_SECONDS)
        else:
            snapshot = session.snapshot()
        body = json.dumps(snapshot.as_json(), ensure_ascii=False).encode()
        self._send(body, "application/json; charset=utf-8")

    def _send_file(self, path: Path | None, cache: bool = False) -> None:
        if path is None or not path.is_file():
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        self._send(path.read_bytes(), kind, cache)

    def _send_error(self, status: HTTPStatus) -> None:
        self._send(status.phrase.encode(), "text/plain; charset=utf-8", status=status)

    def _send(
        self, body: bytes, kind: str, cache: bool = False, status: HTTPStatus = HTTPStatus.OK
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.end_headers()
        self.wfile.write(body)
