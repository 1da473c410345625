# Copyright (c) mmvidlm authors. All rights reserved.
import contextlib
import sys
from typing import Callable, Iterator

from mmengine.dist import is_main_process
from mmengine.utils import ProgressBar


@contextlib.contextmanager
def progress_bar(total: int, title: str) -> Iterator[Callable[[int], None]]:
    """MMEngine's ``ProgressBar`` (done/total, speed, ETA) on the main
    process only, under a title line.

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
    bar = ProgressBar(total, file=sys.stdout)
    try:
        yield bar.update
    finally:
        sys.stdout.write('\n')
        sys.stdout.flush()
