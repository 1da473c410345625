# Copyright (c) mmvidlm authors. All rights reserved.
import contextlib
import sys
from typing import Callable, Iterator

from mmengine.dist import is_main_process
from mmengine.utils import ProgressBar, Timer


class LineProgress:
    """Progress for a log file: one plain line every ``step`` of the
    total (MMEngine's ``ProgressBar`` redraws itself with carriage
    returns, which a log file keeps as one huge line).

    Args:
        total (int): Number of steps.
        step (float): Fraction of the total between two lines. Defaults
            to 0.1.
    """

    def __init__(self, total: int, step: float = 0.1):
        self.total = total
        self.step = max(1, round(total * step))
        self.done = 0
        self.timer = Timer()

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` steps; print a line when a mark is passed."""
        before, self.done = self.done, self.done + n
        if self.done // self.step == before // self.step and \
                self.done < self.total:
            return
        elapsed = self.timer.since_start()
        rate = self.done / elapsed if elapsed > 0 else float('inf')
        eta = (self.total - self.done) / rate if rate > 0 else 0
        print(
            f'{self.done}/{self.total} ({100 * self.done // self.total} %), '
            f'{rate:.1f} task/s, elapsed: {elapsed:.0f}s, ETA: {eta:.0f}s',
            flush=True)


@contextlib.contextmanager
def progress_bar(total: int, title: str) -> Iterator[Callable[[int], None]]:
    """Progress (done/total, speed, ETA) on the main process only, under a
    title line: MMEngine's ``ProgressBar`` on a terminal, a line every
    10 % (:class:`LineProgress`) when the output goes to a file.

    Args:
        total (int): Number of steps.
        title (str): Printed before the bar.

    Yields:
        Callable[[int], None]: ``update(n=1)``, which advances the bar by
        ``n`` steps (does nothing on the other processes).
    """
    if total <= 0 or not is_main_process():
        yield lambda n=1: None
        return
    print(title, flush=True)
    if not sys.stdout.isatty():
        yield LineProgress(total).update
        return
    bar = ProgressBar(total, file=sys.stdout)
    try:
        yield bar.update
    finally:
        sys.stdout.write('\n')
        sys.stdout.flush()
