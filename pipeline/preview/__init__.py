"""`briefing preview`: the PDF in a browser beside the build's state and the check's findings.

The existing watcher builds (one build thread, coalesced saves); `session` turns its
outcomes into what the page shows; `server` serves the page on 127.0.0.1. `run_preview`
ties them together for the CLI and the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..build import Builder
from ..watch import Watcher
from .server import PreviewServer
from .session import PreviewSession


@dataclass
class RunningPreview:
    session: PreviewSession
    server: PreviewServer
    watcher: Watcher

    @property
    def url(self) -> str:
        return self.server.url


@contextmanager
def running_preview(
    builder: Builder, edition_dir: Path, output: Path, port: int = 0
) -> Iterator[RunningPreview]:
    """Watcher and server running in background threads until the block ends."""
    session = PreviewSession(builder, edition_dir, output)
    try:
        server = PreviewServer(session, port)
    except OSError:  # the port is taken: the CLI says so
        session.close()
        raise
    # The session checks each PDF in its own thread: the build thread does not.
    watcher = Watcher(builder, edition_dir, output, session.take, check=False)
    threads = [
        threading.Thread(target=watcher.run, name="preview-build", daemon=True),
        threading.Thread(target=server.serve_forever, name="preview-http", daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        yield RunningPreview(session, server, watcher)
    finally:
        watcher.stop()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(30)
        session.close()
