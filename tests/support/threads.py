"""Functions run in threads whose results and exceptions reach the test's own thread.

An `assert` (or any exception) inside a plain `threading.Thread` only prints a traceback; the test goes on and
may pass. Here the worker keeps what its function returned or raised, and `join()` hands it to the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Worker:
    """`function()` in a daemon thread; `join()` returns its value or raises its exception in the caller's thread."""

    def __init__(self, function: Callable[[], object], name: str = ""):
        self._function = function
        self._result: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name or getattr(function, "__name__", "worker"), daemon=True)

    def start(self) -> Worker:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._result = self._function()
        except BaseException as exc:
            self._error = exc

    def join(self, timeout: float = 10) -> object:
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"{self._thread.name} still running after {timeout} s")
        if self._error is not None:
            raise self._error
        return self._result


def run_together(*functions: Callable[[], object], timeout: float = 30) -> list:
    """Run each function in its own thread at once and wait for all; their results in order, or the first exception, raised here."""
    workers = [Worker(f).start() for f in functions]
    results, errors = [], []
    for worker in workers:
        try:
            results.append(worker.join(timeout))
        except BaseException as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    return results
