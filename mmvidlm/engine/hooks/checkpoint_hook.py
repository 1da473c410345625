# Copyright (c) mmvidlm authors. All rights reserved.
"""Checkpoints that survive a kill at any instant.

MMEngine's ``CheckpointHook`` writes ``iter_N.pth`` in place (a kill leaves
a truncated file), rewrites ``last_checkpoint`` in place, and removes the
checkpoint that falls out of ``max_keep_ckpts``, and the previous best
checkpoint, *before* writing the new one (with ``max_keep_ckpts=1`` a kill
leaves no checkpoint at all while ``last_checkpoint`` names the removed
one; a kill while the new best is written leaves no best).
"""
import glob
import os
import os.path as osp
import secrets
from typing import Union

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, register_backend
from mmengine.hooks import CheckpointHook

from mmvidlm.registry import HOOKS
from .non_finite_loss_hook import check_finite_weights

ATOMIC_BACKEND = 'mmvidlm_atomic_local'
#: ``.{name}.{random}{TMP_SUFFIX}``: the temporary file of a write of name.
TMP_SUFFIX = '.mmvidlm-tmp'


def _create_temporary(path: str):
    """A new file next to ``path`` under a random hidden name, created
    exclusively (``'xb'``: never an existing file, nor a symbolic link's
    target); permissions as the umask gives any new file."""
    folder, name = osp.split(osp.abspath(path))
    for _ in range(100):
        tmp = osp.join(folder, f'.{name}.{secrets.token_hex(8)}{TMP_SUFFIX}')
        try:
            return tmp, open(tmp, 'xb')
        except FileExistsError:
            continue
    raise FileExistsError(f'No free temporary name next to {path}')


def atomic_write(data: bytes, path: str) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the
    whole new one, never a part: a temporary file in the same folder,
    flushed to disk, renamed over ``path``, and the rename made durable."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp, f = _create_temporary(path)
    try:
        with f:
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
    * A checkpoint beyond ``max_keep_ckpts``, and the previous best
      checkpoint, are removed only after that.
    * The temporary files of writes a kill interrupted are removed when
      training starts (or resumes).
    * Non-finite weights are never written (``FloatingPointError`` naming
      the last clean checkpoint).

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

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if is_main_process():
            self._remove_stale_temporaries(runner)

    def _remove_stale_temporaries(self, runner) -> None:
        """Remove what killed writes left (a kill skips the cleanup of
        :func:`atomic_write`): one run writes into a work dir at a time."""
        folders = {runner.work_dir}
        if isinstance(self.file_backend, LocalBackend):
            folders.add(self.out_dir)
        stale = [
            path for folder in folders
            for path in glob.glob(osp.join(folder, f'.*{TMP_SUFFIX}'))
        ]
        for path in stale:
            os.remove(path)
        if stale:
            runner.logger.info(
                f'Removed {len(stale)} temporary file(s) of interrupted '
                f'checkpoint writes: {", ".join(sorted(stale))}')

    def _save_best_checkpoint(self, runner, metrics) -> None:
        """MMEngine's, with the previous best checkpoint (and any other
        removal) removed only after the new one is written."""
        if not self.save_best:
            return
        check_finite_weights(runner, 'the best checkpoint')
        backend = self.file_backend
        removals = []
        backend.remove = lambda path: removals.append(('remove', path))
        backend.rmtree = lambda path: removals.append(('rmtree', path))
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            del backend.remove, backend.rmtree  # the class's methods again
        kept = {
            self.best_ckpt_path, self.last_ckpt,
            *(getattr(self, 'best_ckpt_path_dict', None) or {}).values()
        }
        for method, path in removals:
            if path not in kept:
                getattr(backend, method)(path)

    def _save_checkpoint_with_step(self, runner, step, meta):
        unit = 'epoch' if self.by_epoch else 'iteration'
        check_finite_weights(runner, f'the checkpoint of {unit} {step}')
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
