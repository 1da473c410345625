# Copyright (c) mmvidlm authors. All rights reserved.
import random
from itertools import islice

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop as MMEngineEpochBasedTrainLoop
from torch.utils.data import BatchSampler, Sampler

from mmvidlm.registry import LOOPS


class SkipFirstSamples(Sampler):
    """The indices of ``sampler`` after its first ``count`` ones.

    Args:
        sampler (Sampler): The sampler of the epoch (already given its
            epoch by ``set_epoch``).
        count (int): How many of its indices to drop.
    """

    def __init__(self, sampler: Sampler, count: int):
        self.sampler = sampler
        self.count = count

    def __iter__(self):
        return islice(iter(self.sampler), self.count, None)

    def __len__(self) -> int:
        return max(len(self.sampler) - self.count, 0)


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
      on in the sampler, so none of their videos is loaded again: for the
      interrupted epoch, the batch sampler draws from
      :class:`SkipFirstSamples`. The remaining batches hold the same samples
      as in an uninterrupted run. (A data loader with its own batch sampler
      class falls back to loading and dropping those batches.)
    * In deterministic mode (``randomness=dict(seed=..., deterministic=
      True)`` or ``--deterministic``) the main process's random generators
      (Python, NumPy, torch) are re-seeded from ``(seed, iteration)`` before
      each batch is fetched: dropout, drop-path and in-process augmentations
      (``num_workers=0``) then depend on the iteration only, not on what ran
      before (validation, a restart), so a resumed run repeats the losses of
      an uninterrupted one. Workers are seeded by MMEngine, at the start of
      each epoch (``persistent_workers=False``) or of the run: the random
      augmentations done in workers (``num_workers > 0``) after a resume
      differ from those of an uninterrupted run.
    """

    def run_epoch(self) -> None:
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        num_batches = len(self.dataloader)
        first_iter = self._epoch * num_batches
        done = self._iter - first_iter
        batch_sampler = self.dataloader.batch_sampler
        skipped = 0  # batches the sampler skips (never loaded)
        if done > 0 and type(batch_sampler) is BatchSampler:
            skipped, sampler = done, batch_sampler.sampler
            batch_sampler.sampler = SkipFirstSamples(
                sampler, done * batch_sampler.batch_size)
        if done > 0:
            print_log(
                f'Resuming in the middle of epoch {self._epoch + 1}: '
                f'skipping the {done} batches trained before the checkpoint'
                f'{"" if skipped else " (loading them)"}.',
                logger='current')
        try:
            batches = iter(self.dataloader)
            for idx in range(skipped, num_batches):
                self._seed_iteration(first_iter + idx)
                data_batch = next(batches)
                if idx >= done:
                    self.run_iter(idx, data_batch)
        finally:
            if skipped:
                batch_sampler.sampler = sampler
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
