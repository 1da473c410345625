# Copyright (c) mmvidlm authors. All rights reserved.
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmvidlm.datasets.robust import AnnotationError
from mmvidlm.registry import HOOKS
from .skipped_videos_hook import robust_datasets


@HOOKS.register_module()
class NumClassCheckHook(Hook):
    """Check a recognizer's classes against its data sets before a loop runs.

    A label the head has no class for gives a silently lower accuracy in
    testing and an ``IndexError`` deep in the loss in training; a data set
    with another number of classes than the head is a wrong config. Before
    training, validation and testing, for each data set of the loop (looking
    through MMEngine's wrappers), the model's ``cls_head.num_classes`` must
    equal the data set's number of classes (``num_classes``, or the length of
    its ``classes``), or, when the data set states none, exceed its largest
    label. Models without ``cls_head`` (captioners, retrievers) are not
    checked.

    Raises:
        ValueError: The head and the data set disagree.
        AnnotationError: A label is out of the head's range (the message
            names the annotation file and line).
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        self._check(runner, runner.train_dataloader, 'train_dataloader')

    def before_val(self, runner) -> None:
        self._check(runner, runner.val_dataloader, 'val_dataloader')

    def before_test(self, runner) -> None:
        self._check(runner, runner.test_dataloader, 'test_dataloader')

    @staticmethod
    def _check(runner, dataloader, name: str) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        head_classes = getattr(
            getattr(model, 'cls_head', None), 'num_classes', None)
        if head_classes is None:
            return
        for dataset in robust_datasets(dataloader.dataset):
            dataset.full_init()  # no-op unless built with lazy_init=True
            classes = dataset.metainfo.get('classes')
            num_classes = getattr(dataset, 'num_classes',
                                  None) or (len(classes) if classes else None)
            if num_classes is not None and num_classes != head_classes:
                raise ValueError(
                    f'model.cls_head.num_classes={head_classes}, but the '
                    f'data set of {name} ({dataset.ann_file}) has '
                    f'{num_classes} classes: set both to the same number')
            largest = getattr(dataset, 'largest_label', None)
            if largest is not None and largest[0] >= head_classes:
                raise AnnotationError(
                    dataset.ann_file, largest[1],
                    f'label {largest[0]} is out of the range of '
                    f'model.cls_head.num_classes={head_classes} (set '
                    f'num_classes of the {name} data set to check every '
                    'label when it is built)')
