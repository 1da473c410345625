# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmvidlm.utils import register_all_modules, setup_cpu_distributed


def test_register_all_modules():
    register_all_modules()
    assert DefaultScope.get_current_instance().scope_name == 'mmvidlm'
    from mmvidlm.registry import MODELS
    assert MODELS.get('VideoViT') is not None


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)


def test_cpu_distributed_untouched_cases(no_gpu, monkeypatch):
    cfg = Config(dict())
    setup_cpu_distributed(cfg, 'none')
    assert 'model_wrapper_cfg' not in cfg
    with pytest.raises(RuntimeError, match='needs GPUs'):
        setup_cpu_distributed(cfg, 'slurm')
    for var in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(RuntimeError, match='tools/dist_train.sh'):
        setup_cpu_distributed(cfg, 'pytorch')
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    setup_cpu_distributed(cfg, 'pytorch')  # GPUs: MMEngine's own path
    assert 'model_wrapper_cfg' not in cfg


def test_cpu_distributed_starts_gloo(no_gpu, monkeypatch, free_port):
    for var, value in dict(
            RANK='0',
            WORLD_SIZE='1',
            MASTER_ADDR='127.0.0.1',
            MASTER_PORT=str(free_port)).items():
        monkeypatch.setenv(var, value)
    cfg = Config(dict())
    try:
        setup_cpu_distributed(cfg, 'pytorch')
        assert dist.is_initialized() and dist.get_backend() == 'gloo'
        assert cfg.model_wrapper_cfg == dict(type='CPUDistributedDataParallel')
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
