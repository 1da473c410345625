# Copyright (c) mmvidlm authors. All rights reserved.
"""Checkpoints that survive a kill at any instant.

MMEngine's ``CheckpointHook`` writes ``iter_N.pth`` in place (a kill leaves
a truncated file), rewrites ``last_checkpoint`` in place, and removes the
checkpoint that falls out of ``max_keep_ckpts`` *before* writing the new
one (with ``max_keep_ckpts=1`` a kill leaves no checkpoint at all while
``last_checkpoint`` names the removed one).
"""
import os
import os.path as osp
from typing import Union

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, register_backend
from mmengine.hooks import CheckpointHook

from mmvidlm.registry import HOOKS

ATOMIC_BACKEND = 'mmvidlm_atomic_local'


def atomic_write(data: bytes, path: str) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the
    whole new one, never a part: a temporary file in the same folder,
    flushed to disk, renamed over ``path``, and the rename made durable."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder, f'.{osp.basename(path)}.{os.getpid()}.tmp')
    try:
        with open(tmp, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@register_backend(ATOMIC_BACKEND)
class AtomicLocalBackend(LocalBackend):
    """MMEngine's local file backend whose ``put`` is :func:`atomic_write`."""

    def put(self, obj: bytes, filepath: Union[str, os.PathLike]) -> None:
        atomic_write(obj, str(filepath))


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """MMEngine's ``CheckpointHook`` with kill-safe saving.

    * A checkpoint on the local disk is written atomically
      (:class:`AtomicLocalBackend`): temporary file, fsync, rename.
    * ``last_checkpoint`` (what ``--resume`` reads) is replaced atomically
      and only after the checkpoint it names is complete.
    * A checkpoint beyond ``max_keep_ckpts`` is removed only after that.

    Args:
        **kwargs: Arguments of MMEngine's ``CheckpointHook``; with neither
            ``backend_args`` nor ``file_client_args`` and a local
            ``out_dir``, saving goes through :class:`AtomicLocalBackend`.
    """

    def __init__(self, **kwargs):
        out_dir = kwargs.get('out_dir')
        if (kwargs.get('backend_args') is None
                and kwargs.get('file_client_args') is None
                and (out_dir is None or '://' not in str(out_dir))):
            kwargs['backend_args'] = dict(backend=ATOMIC_BACKEND)
        super().__init__(**kwargs)

    def _save_checkpoint_with_step(self, runner, step, meta):
        # MMEngine's bookkeeping; the removal waits until after saving.
        expired = None
        keep = self.keep_ckpt_ids if self.max_keep_ckpts > 0 else None
        if keep is not None and not (keep and keep[-1] == step):
            if len(keep) == self.max_keep_ckpts:
                expired = keep.popleft()
            keep.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(keep))

        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir,
            ckpt_filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        atomic_write(self.last_ckpt.encode(),
                     osp.join(runner.work_dir, 'last_checkpoint'))
        if expired is not None:
            path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(expired))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # DeepSpeed saves folders
                self.file_backend.rmtree(path)
