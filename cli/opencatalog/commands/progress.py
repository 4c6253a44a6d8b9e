"""Progress of a publish run on stderr: a bar on a terminal, one line per object in logs.

The apply engine reports each finished object as "<kind> <name>: <status>" and any
longer step (e.g. rows loaded) as free text; the bar advances on the former and shows
the latter as its current step.
"""

from __future__ import annotations

import re
import sys
import threading
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

_DONE = re.compile(r"^(organization|group|dataset) \S+: \S+$")


class PublishProgress:
    """Context manager and callable: `with PublishProgress(total) as progress: apply(..., progress)`."""

    def __init__(self, total: int, stream: TextIO | None = None, *, bar: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self._lock = threading.Lock()
        use_bar = self.stream.isatty() if bar is None else bar
        self._bar: Progress | None = None
        if use_bar and total:
            self._bar = Progress(
                TextColumn("publishing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream), transient=False)
            self._task = self._bar.add_task("", total=total)

    def __enter__(self) -> PublishProgress:
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar:
            self._bar.stop()

    def __call__(self, message: str) -> None:
        if not self.total:  # nothing to do: the report says it all
            return
        finished = bool(_DONE.match(message))
        with self._lock:
            if finished:
                self.done += 1
            if self._bar:
                if finished:
                    self._bar.console.print(f"  {escape(message)}", highlight=False)
                    self._bar.update(self._task, advance=1, description="")
                else:
                    self._bar.update(self._task, description=escape(message))
                return
            prefix = f"[{self.done}/{self.total}] " if finished else "  "
            self.stream.write(f"  {prefix}{message}\n" if finished else f"{prefix}{message}\n")
            self.stream.flush()
