# Copyright (c) mmvidlm authors. All rights reserved.
"""The synthetic motion videos as a video question answering task.

Every video gets a colour and a shape question; a moving shape also gets a
direction question ("which way does the circle move?" -> left / right;
"which way does the bar turn?" -> clockwise / anticlockwise). The question
names the shape, so a direction question is a choice between the two
classes of a motion pair, which differ only in the order of their frames:
a model that ignores the order answers it at chance (50 %).
"""
from typing import List

from mmvidlm.registry import DATASETS
from .qa_dataset import VideoQADataset
from .robust import AnnotationError, load_json_annotations
from .synthetic import CLASSES, COLORS
from .synthetic_dataset import SyntheticVideosMixin

#: The direction question of each moving shape.
DIRECTION_QUESTIONS = {
    'circle': 'which way does the circle move',
    'bar': 'which way does the bar turn',
}

#: Every answer of the task, in a fixed order (the ranking candidates).
SYNTHETIC_QA_ANSWERS = tuple(
    list(COLORS) + list(dict.fromkeys(shape for shape, _, _ in CLASSES)) +
    [motion for _, motion, moving in CLASSES if moving])


def questions_for(label: int, color: str) -> List[dict]:
    """The questions about a video of class ``label`` and its answers."""
    shape, motion, moving = CLASSES[label]
    qa = [
        dict(
            question='what color is the object',
            answer=color,
            question_type='color'),
        dict(
            question='what shape is the object',
            answer=shape,
            question_type='shape'),
    ]
    if moving:
        qa.append(
            dict(
                question=DIRECTION_QUESTIONS[shape],
                answer=motion,
                question_type='direction'))
    return qa


@DATASETS.register_module()
class SyntheticQADataset(SyntheticVideosMixin, VideoQADataset):
    __doc__ = ('The synthetic videos as a question answering data set '
               '(colour, shape, direction; see '
               ':mod:`mmvidlm.datasets.synthetic_qa`).\n' +
               SyntheticVideosMixin.__doc__.split('\n', 1)[1])
    annotation = '{split}_captions.json'

    def load_entries(self) -> List[dict]:
        """Questions derived from each video's class and colour (the colour
        is the one colour word of its captions)."""
        entries = []
        for idx, video in enumerate(load_json_annotations(self.ann_file)):
            colors = {
                w
                for c in video['captions']
                for w in c.split() if w in COLORS
            }
            if len(colors) != 1:
                raise AnnotationError(
                    self.ann_file, f'entry {idx}',
                    f'expected one colour word in the captions, found '
                    f'{sorted(colors)}: delete the folder to regenerate it')
            for qa in questions_for(video['label'], colors.pop()):
                entries.append(
                    dict(qa, video=video['video'], question_id=len(entries)))
        return entries
