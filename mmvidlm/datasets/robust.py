# Copyright (c) mmvidlm authors. All rights reserved.
"""Unreadable videos and malformed annotations, handled in one place.

Every video data set of mmvidlm inherits :class:`RobustVideoMixin` (before
its MMEngine/MMAction2 base class):

* training: a sample whose video cannot be read (missing, empty, truncated,
  corrupt file, or any error while its pipeline runs) is skipped. The data
  set returns ``None``, MMEngine's ``BaseDataset.__getitem__`` then draws
  another index; a warning names the file and the error, the skip is
  counted in memory shared by the data-loader workers, and more than
  ``max_skipped_videos`` skips before the counter is reset raise
  :class:`VideoReadError`. :class:`mmvidlm.engine.SkippedVideosHook` logs
  the count of each epoch (summed over ranks) and resets it.
* testing (``test_mode=True``): the first unreadable video raises
  :class:`VideoReadError` naming the file, so metrics are never computed
  over a silently reduced set.

Adopting it in a new data set::

    @DATASETS.register_module()
    class MyCaptionDataset(RobustVideoMixin, BaseDataset):
        def load_data_list(self):
            entries = load_json_annotations(self.ann_file)
            check_caption_annotations(entries, self.ann_file)
            ...   # each data info must hold the video path as 'filename'

Annotation files fail early with :class:`AnnotationError` naming the file
and line (or entry): :class:`RobustVideoDataset` parses MMAction2's
``"path label"`` lists, :func:`check_caption_annotations` checks caption
JSON lists.
"""
import json
import logging
import multiprocessing
import os.path as osp
import re
from typing import List, Optional, Sequence

from mmaction.datasets import VideoDataset
from mmengine.fileio import get_text, list_from_file
from mmengine.logging import print_log

from mmvidlm.registry import DATASETS


class VideoReadError(RuntimeError):
    """A video could not be read (test time), or too many were skipped."""


class AnnotationError(ValueError):
    """An annotation file is malformed; the message names file and line."""

    def __init__(self, ann_file: str, where: str, problem: str):
        super().__init__(f'{ann_file}, {where}: {problem}')


class _SharedCounter:
    """A counter shared by the data-loader workers of one process.

    Copies of the data set (``copy.deepcopy``) share it: they read the same
    files.
    """

    def __init__(self):
        self._value = multiprocessing.Value('q', 0)

    def increment(self) -> int:
        with self._value.get_lock():
            self._value.value += 1
            return self._value.value

    def pop(self) -> int:
        """Return the count and reset it to zero."""
        with self._value.get_lock():
            count, self._value.value = self._value.value, 0
            return count

    def __deepcopy__(self, memo):
        return self


class RobustVideoMixin:
    """Skip unreadable videos in training, name them in testing.

    Put it first among the bases; it wraps ``prepare_data`` of MMEngine's
    ``BaseDataset`` (the path is read from the data info's ``filename``,
    or ``video`` if that is absent).

    Args:
        max_skipped_videos (int): The most videos that may be skipped (per
            process) before the count is reset, i.e. per epoch when
            :class:`mmvidlm.engine.SkippedVideosHook` is registered; one more
            raises :class:`VideoReadError`. Defaults to 100.
        *args, **kwargs: Arguments of the data set class it is mixed into.
    """

    def __init__(self, *args, max_skipped_videos: int = 100, **kwargs):
        if not isinstance(max_skipped_videos, int) or max_skipped_videos < 0:
            raise ValueError('max_skipped_videos must be an int >= 0, got '
                             f'{max_skipped_videos!r}')
        self.max_skipped_videos = max_skipped_videos
        self._skipped = _SharedCounter()
        super().__init__(*args, **kwargs)

    def pop_skipped_count(self) -> int:
        """The videos skipped since the last call (over all workers)."""
        return self._skipped.pop()

    def prepare_data(self, idx: int):
        try:
            return super().prepare_data(idx)
        except Exception as error:  # decord, FFmpeg, I/O, transform errors
            info = self.get_data_info(idx)
            filename = info.get('filename', info.get('video', f'#{idx}'))
            reason = f'{type(error).__name__}: {error}'.strip()
            if self.test_mode:
                raise VideoReadError(
                    f'Cannot read video {filename} ({reason}). Test and '
                    'validation never skip videos: fix or remove it from '
                    'the annotation file.') from error
            count = self._skipped.increment()
            if count > self.max_skipped_videos:
                raise VideoReadError(
                    f'{count} videos could not be read since the last reset '
                    f'(max_skipped_videos={self.max_skipped_videos}); the '
                    f'last was {filename} ({reason}). Check the data root '
                    'and the annotation file.') from error
            print_log(
                f'Skipping unreadable video {filename} ({reason}); another '
                'sample is used instead.',
                logger='current',
                level=logging.WARNING)
            return None  # BaseDataset.__getitem__ draws another index


@DATASETS.register_module()
class RobustVideoDataset(RobustVideoMixin, VideoDataset):
    """MMAction2's ``VideoDataset`` with unreadable videos handled and the
    annotation list checked line by line.

    The list holds ``"path label"`` per line (``"path l1 l2 ..."`` when
    ``multi_class``); blank lines are ignored. A line without a label, with
    a label that is not an integer or not in ``[0, num_classes)`` raises
    :class:`AnnotationError` naming the file and line, and so does a list
    without any sample. The number of classes is ``num_classes`` or, if that
    is not given, the length of the ``classes`` of the meta information;
    without either, :class:`mmvidlm.engine.NumClassCheckHook` checks the
    largest label (``largest_label``) against the model's head.

    Args:
        max_skipped_videos (int): See :class:`RobustVideoMixin`.
        **kwargs: Arguments of ``VideoDataset`` (``ann_file``, ``pipeline``,
            ``data_prefix``, ``num_classes``, ``test_mode``, ...).
    """

    def load_data_list(self) -> List[dict]:
        classes = self._metainfo.get('classes')
        num_classes = self.num_classes or (len(classes) if classes else None)
        prefix = self.data_prefix.get('video')
        data_list = []
        self.largest_label = None  # (label, 'line N'), for NumClassCheckHook
        # utf-8-sig: a byte-order mark must not end up in the first path
        lines = list_from_file(self.ann_file, encoding='utf-8-sig')
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            fields = line.strip().split(self.delimiter)
            if len(fields) < 2 or (not self.multi_class and len(fields) > 2):
                raise AnnotationError(
                    self.ann_file, f'line {lineno}',
                    f'expected "path{self.delimiter}label", got {line!r}')
            labels = [
                parse_label(field, num_classes, self.ann_file,
                            f'line {lineno}') for field in fields[1:]
            ]
            if self.largest_label is None or max(
                    labels) > self.largest_label[0]:
                self.largest_label = (max(labels), f'line {lineno}')
            filename = fields[0]
            if prefix is not None:
                filename = osp.join(prefix, filename)
            data_list.append(
                dict(
                    filename=filename,
                    label=labels if self.multi_class else labels[0]))
        if not data_list:
            raise AnnotationError(
                self.ann_file, 'all lines',
                'no samples: the file is empty or holds only blank lines')
        return data_list


def parse_label(field, num_classes: Optional[int], ann_file: str,
                where: str) -> int:
    """Parse one class label and check its range.

    Args:
        field (str | int): The label as read from the annotation file.
        num_classes (int, optional): The number of classes; None checks only
            that the label is not negative.
        ann_file (str): The annotation file, for the message.
        where (str): The line or entry, for the message.

    Returns:
        int: The label.
    """
    if isinstance(field, str) and re.fullmatch(r'-?[0-9]+', field.strip()):
        label = int(field)
    elif isinstance(field, int) and not isinstance(field, bool):
        label = field
    else:
        raise AnnotationError(ann_file, where,
                              f'label {field!r} is not an integer')
    if label < 0 or (num_classes is not None and label >= num_classes):
        bound = f'[0, {num_classes})' if num_classes is not None else '>= 0'
        hint = ''
        if label == num_classes:
            hint = (' (a 1-based list? Labels count from 0; UCF101\'s '
                    'official trainlist0N.txt counts from 1: generate the '
                    'list with MMAction2\'s tools/data/ucf101/'
                    'generate_videos_filelist.sh)')
        raise AnnotationError(
            ann_file, where,
            f'unknown label {label}: must be in {bound}{hint}')
    return label


def load_json_annotations(ann_file: str) -> list:
    """Read a JSON annotation list; a syntax error names file and line, an
    empty file or list is an error."""
    text = get_text(ann_file)
    if not text.strip():
        raise AnnotationError(ann_file, 'all lines', 'the file is empty')
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnnotationError(ann_file, f'line {error.lineno}',
                              f'invalid JSON ({error.msg})') from None
    if isinstance(entries, dict):
        raise AnnotationError(
            ann_file, 'top level',
            'expected a list of entries, got an object (MMAction2\'s '
            'VideoTextDataset format, video -> captions?): convert it with '
            'tools/data/msrvtt/prepare_annotations.py')
    if not isinstance(entries, list):
        raise AnnotationError(ann_file, 'top level',
                              'expected a list of entries')
    if not entries:
        raise AnnotationError(ann_file, 'top level',
                              'the list of entries is empty')
    return entries


def check_caption_annotations(entries: Sequence[dict],
                              ann_file: str,
                              video_key: str = 'video',
                              caption_key: str = 'captions',
                              num_classes: Optional[int] = None) -> None:
    """Check a caption / retrieval annotation list entry by entry.

    Each entry must be a dict with a non-empty string ``video_key`` and a
    non-empty list of non-empty strings ``caption_key``; a ``label``, if
    present, must be a valid class index.

    Args:
        entries (Sequence[dict]): The annotation entries.
        ann_file (str): The file they come from, for the messages.
        video_key (str): The key of the video path. Defaults to ``'video'``.
        caption_key (str): The key of the caption list. Defaults to
            ``'captions'``.
        num_classes (int, optional): Checks ``label`` when given.

    Raises:
        AnnotationError: Naming the file and the entry (0-based index).
    """
    for index, entry in enumerate(entries):
        where = f'entry {index}'
        if not isinstance(entry, dict):
            raise AnnotationError(ann_file, where,
                                  f'expected an object, got {entry!r}')
        video = entry.get(video_key)
        if not isinstance(video, str) or not video.strip():
            raise AnnotationError(ann_file, where,
                                  f'missing or empty {video_key!r}')
        captions = entry.get(caption_key)
        if isinstance(captions, str):
            captions = [captions]
        if not isinstance(captions, list) or not captions:
            raise AnnotationError(
                ann_file, where,
                f'{caption_key!r} of {video} must be a non-empty list')
        for caption in captions:
            if not isinstance(caption, str) or not caption.strip():
                raise AnnotationError(
                    ann_file, where,
                    f'empty or non-text caption {caption!r} of {video}')
        if 'label' in entry:
            parse_label(entry['label'], num_classes, ann_file, where)
