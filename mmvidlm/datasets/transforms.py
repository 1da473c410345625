# Copyright (c) mmvidlm authors. All rights reserved.
"""MMAction2's decord transforms with bounded memory and a warning for
videos shorter than a clip.

Both keep MMAction2's names and arguments: with ``default_scope='mmvidlm'``
every config that says ``type='DecordInit'`` / ``type='DecordDecode'`` gets
them (mmvidlm's registry is searched before MMAction2's).
"""
import hashlib
import logging
import multiprocessing
import os.path as osp
from typing import Dict

from mmaction.datasets.transforms import DecordDecode as _DecordDecode
from mmaction.datasets.transforms import DecordInit as _DecordInit
from mmengine.logging import print_log

from mmvidlm.registry import TRANSFORMS


@TRANSFORMS.register_module()
class DecordInit(_DecordInit):
    """MMAction2's ``DecordInit``, reading local videos from their path.

    MMAction2's reads the whole file into memory and decord copies it again
    (peak memory about 4x the file size: a long video can exhaust a data
    loader worker); given the path, FFmpeg reads only what it decodes.
    Backends other than ``'disk'`` are read as MMAction2 reads them.

    Args:
        io_backend (str): The file backend. Defaults to ``'disk'``.
        num_threads (int): Decoding threads. Defaults to 1.
        **kwargs: Arguments of the file client (other backends).
    """

    def _get_video_reader(self, filename: str) -> object:
        if self.io_backend != 'disk' or self.kwargs:
            return super()._get_video_reader(filename)
        import decord
        if osp.splitext(filename)[0] == filename:  # MMAction2's default
            filename = filename + '.mp4'
        return decord.VideoReader(filename, num_threads=self.num_threads)


class _SharedNameSet:
    """Names seen by any data-loader worker forked from one process.

    An open-addressing table of 64-bit name hashes in shared memory; when
    it is full, every name counts as new (a repeated warning, never a lost
    one). Copies of it (``copy.deepcopy``) share the table.

    Args:
        slots (int): Capacity. Defaults to 4096.
    """

    def __init__(self, slots: int = 4096):
        self._table = multiprocessing.Array('Q', slots)  # 0: empty slot

    def add(self, name: str) -> bool:
        """Add ``name``; True if it was not there yet."""
        key = int.from_bytes(
            hashlib.blake2b(name.encode(), digest_size=8).digest(),
            'little') or 1
        slots = len(self._table)
        with self._table.get_lock():
            for probe in range(slots):
                slot = (key + probe) % slots
                if self._table[slot] == key:
                    return False
                if self._table[slot] == 0:
                    self._table[slot] = key
                    return True
        return True

    def __deepcopy__(self, memo):
        return self


@TRANSFORMS.register_module()
class DecordDecode(_DecordDecode):
    """MMAction2's ``DecordDecode``, warning once per file (over all
    data-loader workers) when a video has fewer frames than a clip.

    The frame samplers then repeat frames (``UniformSample``) or loop the
    video (``SampleFrames``), which is what the model sees; the warning names
    the file so that a data set with truncated videos is noticed. A clip
    spans ``clip_len * frame_interval`` frames.

    Args:
        mode (str): ``'accurate'`` or ``'efficient'``. Defaults to
            ``'accurate'``.
    """

    def __init__(self, mode: str = 'accurate') -> None:
        super().__init__(mode)
        self._warned = _SharedNameSet()

    def transform(self, results: Dict) -> Dict:
        clip_span = results.get('clip_len', 0) * (
            results.get('frame_interval') or 1)
        total = results['total_frames']
        filename = results.get('filename', '<video>')
        if total < clip_span and self._warned.add(filename):
            print_log(
                f'{filename} has {total} frame(s), fewer than the '
                f'{clip_span} of a clip: frames are repeated to fill it '
                '(warned once per file).',
                logger='current',
                level=logging.WARNING)
        return super().transform(results)
