# Copyright (c) mmvidlm authors. All rights reserved.
import random

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop as MMEngineEpochBasedTrainLoop

from mmvidlm.registry import LOOPS


# Registered under MMEngine's name in mmvidlm's scope, so every config with
# ``train_cfg = dict(type='EpochBasedTrainLoop', ...)`` resumes correctly.
@LOOPS.register_module(name='EpochBasedTrainLoop')
class EpochBasedTrainLoop(MMEngineEpochBasedTrainLoop):
    """MMEngine's epoch-based training loop, resumable in mid-epoch and, in
    deterministic mode, exactly.

    * Resumed from an iteration checkpoint (``CheckpointHook(by_epoch=
      False)``), MMEngine's loop starts the interrupted epoch again from its
      first batch: it trains on batches it has already seen and makes the
      epoch longer. This loop skips the batches the checkpoint has trained
      on, drawing them from the data loader as MMEngine's
      ``IterBasedTrainLoop`` does, so the data-loader workers' augmentations
      stay in step with an uninterrupted run.
    * In deterministic mode (``randomness=dict(seed=..., deterministic=
      True)`` or ``--deterministic``) the main process's random generators
      (Python, NumPy, torch) are re-seeded from ``(seed, iteration)`` before
      each batch is fetched: dropout, drop-path and in-process augmentations
      (``num_workers=0``) then depend on the iteration only, not on what ran
      before (validation, a restart), so a resumed run repeats the losses of
      an uninterrupted one. Workers are seeded by MMEngine; exactness after
      the first epoch needs ``persistent_workers=False``.
    """

    def run_epoch(self) -> None:
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        batches = iter(self.dataloader)
        first_iter = self._epoch * len(self.dataloader)
        done = self._iter - first_iter
        if done > 0:
            print_log(
                f'Resuming in the middle of epoch {self._epoch + 1}: '
                f'skipping the {done} batches trained before the checkpoint.',
                logger='current')
        for idx in range(len(self.dataloader)):
            self._seed_iteration(first_iter + idx)
            data_batch = next(batches)
            if idx >= done:
                self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1

    def _seed_iteration(self, iteration: int) -> None:
        if self.runner.seed is None or not (
                torch.are_deterministic_algorithms_enabled()):
            return
        seed = int(
            np.random.SeedSequence([self.runner.seed,
                                    iteration]).generate_state(1)[0])
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
