# Copyright (c) mmvidlm authors. All rights reserved.
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop as MMEngineEpochBasedTrainLoop

from mmvidlm.registry import LOOPS


# Registered under MMEngine's name in mmvidlm's scope, so every config with
# ``train_cfg = dict(type='EpochBasedTrainLoop', ...)`` resumes correctly.
@LOOPS.register_module(name='EpochBasedTrainLoop')
class EpochBasedTrainLoop(MMEngineEpochBasedTrainLoop):
    """MMEngine's epoch-based training loop, resumable in mid-epoch.

    Resumed from an iteration checkpoint (``CheckpointHook(by_epoch=False)``)
    MMEngine's loop starts the interrupted epoch again from its first batch:
    it trains on batches it has already seen and makes the epoch longer. This
    loop skips the batches the checkpoint has already trained on. They are
    drawn from the data loader and dropped, as MMEngine's
    ``IterBasedTrainLoop`` does, so the data-loader workers' random
    augmentations stay in step with an uninterrupted run.
    """

    def run_epoch(self) -> None:
        done = self._iter - self._epoch * len(self.dataloader)
        if done <= 0:
            return super().run_epoch()
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        batches = iter(self.dataloader)
        print_log(
            f'Resuming in the middle of epoch {self._epoch + 1}: skipping '
            f'the {done} batches trained before the checkpoint.',
            logger='current')
        for _ in range(done):
            next(batches)
        for idx, data_batch in enumerate(batches, done):
            self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1
