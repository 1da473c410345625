# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp
import re
from typing import List

from mmengine.dataset import BaseDataset

from mmvidlm.registry import DATASETS
from .robust import AnnotationError, RobustVideoMixin, load_json_annotations

#: MSRVTT-QA's question types, as the Token Mixing reference derives them
#: from the question (``annotation/msrvtt_qa/MSRVTT-QA/preprocess_anno.py``).
QUESTION_WORDS = ('what', 'who', 'how', 'where', 'when')


def normalize_question(question: str, max_words: int = 50) -> str:
    """BLIP's question cleaning: lower case, without ``.!"()*#:;~``,
    without trailing spaces, at most ``max_words`` words."""
    question = re.sub(r'[.!"()*#:;~]', '', question.lower()).rstrip(' ')
    return ' '.join(question.split(' ')[:max_words])


def question_type(question: str) -> str:
    """``'color'`` if the question mentions it, else its question word
    (``what``, ``who``, ``how``, ``where``, ``when``), else ``'other'``."""
    if 'color' in question:
        return 'color'
    first = question.split(' ')[0]
    return first if first in QUESTION_WORDS else 'other'


@DATASETS.register_module()
class VideoQADataset(RobustVideoMixin, BaseDataset):
    """Video question answering (MSRVTT-QA), read with decord.

    Reads a JSON list with one entry per question, in any of these forms:

    * MSRVTT-QA's official ``{train,val,test}_qa.json``:
      ``{"video_id": 7, "id": 0, "question": ..., "answer": ...,
      "category_id": 0}`` (the video is ``video7`` + ``video_ext``);
    * the Token Mixing reference's prepared files (``video_id``
      ``"video7"``, ``question_id``);
    * ``tools/data/msrvtt/prepare_qa_annotations.py``'s output, which also
      names the file (``video``) and the ``question_type``.

    ``answer`` may be a string or a list of accepted answers. Questions are
    cleaned as BLIP does (:func:`normalize_question`); the type defaults to
    :func:`question_type`.

    Every sample has ``text`` (the question), ``gt_answer`` (list of
    answers), ``question_id``, ``question_type``, ``video_id``.

    Args:
        ann_file (str): The annotation file.
        data_prefix (dict): ``dict(video=folder)``. Defaults to
            ``dict(video='')``.
        video_ext (str): Suffix of video files named by ``video_id``.
            Defaults to ``'.mp4'``.
        max_skipped_videos (int): See :class:`RobustVideoMixin`.
        **kwargs: Other arguments of MMEngine's ``BaseDataset``.
    """

    def __init__(self,
                 ann_file: str,
                 data_prefix: dict = dict(video=''),
                 video_ext: str = '.mp4',
                 **kwargs):
        self.video_ext = video_ext
        super().__init__(ann_file=ann_file, data_prefix=data_prefix, **kwargs)

    def load_entries(self) -> List[dict]:
        """The annotation file's entries."""
        return load_json_annotations(self.ann_file)

    def load_data_list(self) -> List[dict]:
        entries = self.load_entries()
        prefix = self.data_prefix.get('video', '')
        return [
            self.parse_entry(entry, idx, prefix)
            for idx, entry in enumerate(entries)
        ]

    def parse_entry(self, entry: dict, idx: int, prefix: str) -> dict:
        """One entry -> one sample, with a clear error on a bad entry."""
        where = f'entry {idx}'
        if not isinstance(entry, dict):
            raise AnnotationError(self.ann_file, where, 'expected an object')
        missing = [k for k in ('question', 'answer') if k not in entry]
        if 'video' not in entry and 'video_id' not in entry:
            missing.append('video_id')
        if missing:
            raise AnnotationError(self.ann_file, where,
                                  f'missing {", ".join(missing)}')
        video_id = entry.get('video_id')
        if isinstance(video_id, int):  # official MSRVTT-QA: 7 -> video7
            video_id = f'video{video_id}'
        video = entry.get('video', f'{video_id}{self.video_ext}')
        answers = entry['answer']
        answers = [answers] if isinstance(answers, str) else answers
        if (not isinstance(answers, list) or not answers
                or not all(isinstance(a, str) and a.strip() for a in answers)):
            raise AnnotationError(
                self.ann_file, where,
                f'answer must be a non-empty string or list of them, got '
                f'{entry["answer"]!r}')
        if not isinstance(entry['question'], str) or not entry['question']:
            raise AnnotationError(self.ann_file, where,
                                  'question must be a non-empty string')
        question = normalize_question(entry['question'])
        return dict(
            filename=osp.join(prefix, video),
            video_id=str(video_id or osp.splitext(video)[0]),
            question_id=entry.get('question_id', entry.get('id', idx)),
            question_type=entry.get('question_type', question_type(question)),
            text=question,
            gt_answer=[a.strip() for a in answers],
            start_index=0,
            modality='RGB')
