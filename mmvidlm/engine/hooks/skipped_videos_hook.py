# Copyright (c) mmvidlm authors. All rights reserved.
import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook

from mmvidlm.registry import HOOKS


def robust_datasets(dataset) -> list:
    """The data sets with ``pop_skipped_count`` (see
    :class:`mmvidlm.datasets.RobustVideoMixin`) inside ``dataset``, looking
    through MMEngine's wrappers (concatenated, repeated, class-balanced)."""
    if hasattr(dataset, 'pop_skipped_count'):
        return [dataset]
    inner = list(getattr(dataset, 'datasets', []))
    if hasattr(dataset, 'dataset'):
        inner.append(dataset.dataset)
    return [d for ds in inner for d in robust_datasets(ds)]


@HOOKS.register_module()
class SkippedVideosHook(Hook):
    """Log how many unreadable training videos were skipped in each epoch.

    The count is summed over the data-loader workers and the ranks, logged as
    a warning when not zero, kept as the message hub's
    ``skipped_videos`` info, and reset, so ``max_skipped_videos`` of the data
    set is a limit per epoch.
    """

    priority = 'LOW'

    def after_train_epoch(self, runner) -> None:
        datasets = robust_datasets(runner.train_dataloader.dataset)
        count = torch.tensor(
            float(sum(d.pop_skipped_count() for d in datasets)))
        all_reduce(count)
        skipped = int(count.item())
        runner.message_hub.update_info('skipped_videos', skipped)
        if skipped:
            runner.logger.warning(
                f'Epoch {runner.epoch + 1}: {skipped} unreadable training '
                'video(s) were skipped (see the warnings naming them).')
