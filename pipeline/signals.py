"""SIGTERM and SIGHUP handled like Ctrl-C, so a stopped process ends cleanly.

A service manager, `kill` or an IDE's stop button sends SIGTERM; closing a terminal
sends SIGHUP. Without a handler Python dies on the spot (exit 143 or 129), skipping
every `finally`: a watcher's observer thread, a half-written temporary file. Inside
`stop_on_signals()` both raise `Stopped` in the main thread instead, which unwinds
like KeyboardInterrupt (and is caught as one), so the same clean-up runs whichever
way the process is asked to end. Long-running commands (watch, and the preview
server) wrap their main loop in it.

Exit codes (`exit_code`): a build interrupted by Ctrl-C exits 130, by SIGTERM 143,
by SIGHUP 129 (128 + the signal number, as a shell reports it); a watcher stopped by
any of them exits 0, since stopping is how a watcher is meant to end.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """The process was asked to stop by `signal_number` (SIGINT for Ctrl-C)."""

    def __init__(self, signal_number: int = signal.SIGINT) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


def _raise_stopped(signal_number: int, frame: FrameType | None) -> None:
    raise Stopped(signal_number)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block (main thread only), SIGTERM and SIGHUP raise `Stopped`."""
    previous = {number: signal.signal(number, _raise_stopped) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def exit_code(interruption: KeyboardInterrupt) -> int:
    """128 + the signal number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""
    number = interruption.signal_number if isinstance(interruption, Stopped) else signal.SIGINT
    return 128 + int(number)
