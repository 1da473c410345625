# Copyright (c) mmvidlm authors. All rights reserved.
import pickle
from collections import OrderedDict
from importlib.metadata import PackageNotFoundError

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import CheckpointLoader

import mmvidlm  # noqa: F401  (applies the fixes)
from mmvidlm.utils import compat
from mmvidlm.utils.checkpoint_pickle import (history_buffer_getattr,
                                             load_from_local)


def test_drn_placeholder():
    import mmaction.models  # noqa: F401  (fails without the placeholder)
    from mmaction.models.localizers.drn import DRN
    with pytest.raises(ImportError, match='mmaction2#2714'):
        DRN()
    assert compat.patch_mmaction_drn() is False  # applied once only


def _mmengine_checkpoint() -> dict:
    """What ``Runner.save_checkpoint`` writes, HistoryBuffers included."""
    hub = MessageHub('test_compat_checkpoint')
    for i in range(3):
        hub.update_scalar('train/loss', np.float64(1.0 / (i + 1)))
        hub.update_scalar('train/lr', torch.tensor(0.1))
    hub.update_info('iter', 3)
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.AdamW(model.parameters())
    model(torch.ones(1, 2)).sum().backward()
    optimizer.step()
    return dict(
        meta=dict(epoch=1, iter=3, seed=np.int64(0), dtype=np.dtype('f4')),
        state_dict=OrderedDict(model.state_dict()),
        optimizer=optimizer.state_dict(),
        message_hub=hub.state_dict(),
        extra=np.arange(4, dtype=np.float32))


def test_mmengine_checkpoint_loads(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    torch.save(_mmengine_checkpoint(), path)
    # MMEngine's loader of local files is mmvidlm's restricted one
    ckpt = CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    losses = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(losses, HistoryBuffer)
    assert losses.min() == pytest.approx(1 / 3)
    assert losses.mean() == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert ckpt['meta']['iter'] == 3
    np.testing.assert_array_equal(ckpt['extra'], np.arange(4))


class _GetattrCall:
    """Pickles as the call ``getattr(obj, name)``."""

    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __reduce__(self):
        return getattr, (self.obj, self.name)


@pytest.mark.parametrize('obj,name', [(HistoryBuffer, '__init__'),
                                      (HistoryBuffer, 'register_statistics'),
                                      (OrderedDict, 'fromkeys')])
def test_checkpoint_getattr_refuses_other_attributes(tmp_path, obj, name):
    with pytest.raises(pickle.UnpicklingError, match='refused'):
        history_buffer_getattr(obj, name)
    path = tmp_path / 'getattr.pth'
    torch.save({'x': _GetattrCall(obj, name)}, path)
    with pytest.raises(pickle.UnpicklingError, match='refused: it calls get'):
        load_from_local(str(path))


def test_plain_getattr_is_not_allow_listed():
    assert getattr not in torch.serialization.get_safe_globals()
    assert history_buffer_getattr(HistoryBuffer, 'max') is HistoryBuffer.max


def test_check_versions(monkeypatch):
    assert compat.check_versions() == []
    installed = dict(transformers='4.57.1', torch='2.14.1')

    def fake_version(dist):
        if dist not in installed:
            raise PackageNotFoundError(dist)
        return installed[dist]

    monkeypatch.setattr(compat, 'version', fake_version)
    problems = compat.check_versions()
    assert any('transformers==4.57.1 is not supported' in p and '<4.52.0' in p
               for p in problems)
    assert not any(p.startswith('torch') for p in problems)
    assert any(p.startswith('mmengine is not installed') for p in problems)
