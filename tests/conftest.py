# Copyright (c) mmvidlm authors. All rights reserved.
"""Shared fixtures: a small synthetic data set and a runner for tools/."""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

#: The small synthetic data set of the tests: 6 classes, 4 + 2 videos each.
SYNTHETIC_TEST_DATA = dict(
    num_videos=dict(train=4, val=2), num_frames=8, frame_size=32, seed=0)


def synthetic_cfg_options(data_root: str) -> list:
    """``--cfg-options`` that point every data loader of a synthetic-motion
    config at ``data_root`` with the sizes of :data:`SYNTHETIC_TEST_DATA`.

    Args:
        data_root (str): The generated data set's folder.

    Returns:
        list[str]: ``key=value`` items for ``--cfg-options``.
    """
    data = SYNTHETIC_TEST_DATA
    options = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        prefix = f'{loader}.dataset'
        options.append(f'{prefix}.data_root={data_root}')
        options += [
            f'{prefix}.num_videos.{split}={n}'
            for split, n in data['num_videos'].items()
        ]
        options += [
            f'{prefix}.{key}={data[key]}'
            for key in ('num_frames', 'frame_size', 'seed')
        ]
    return options


@pytest.fixture(autouse=True)
def no_tokenizer_threads_across_fork(monkeypatch):
    """Hugging Face's fast tokenizer with parallelism on deadlocks in a
    forked child (the gloo tests fork). MMPretrain's tokenizer loader turns
    it on for the whole process (``TOKENIZERS_PARALLELISM=true``), e.g. when
    a test builds MMPretrain's BLIP; every test starts with it off."""
    monkeypatch.setenv('TOKENIZERS_PARALLELISM', 'false')


@pytest.fixture(scope='session')
def synthetic_data_root(tmp_path_factory) -> str:
    """The test data set (:data:`SYNTHETIC_TEST_DATA`), generated once."""
    from mmvidlm.datasets import generate_synthetic_videos
    root = str(tmp_path_factory.mktemp('synthetic_motion'))
    data = SYNTHETIC_TEST_DATA
    generate_synthetic_videos(root, data['num_videos'], data['num_frames'],
                              data['frame_size'], data['seed'])
    return root


@pytest.fixture(scope='session')
def synthetic_options(synthetic_data_root) -> list:
    """``--cfg-options`` items pointing a config at the test data set."""
    return synthetic_cfg_options(synthetic_data_root)


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tool_env(**extra) -> dict:
    """The environment of a tool subprocess: this interpreter, the
    repository first on ``PYTHONPATH``, no GPU, single-threaded maths (the
    test machine has few cores).

    Args:
        **extra: Variables to set or override (``PYTHONPATH`` is extended).
    """
    env = dict(os.environ, **extra)
    env['PYTHON'] = sys.executable
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (REPO_ROOT, env.get('PYTHONPATH')) if p)
    env.setdefault('OMP_NUM_THREADS', '1')
    env.setdefault('CUDA_VISIBLE_DEVICES', '')
    return env


@pytest.fixture(scope='session')
def run_tool():
    """Run a script of ``tools/`` as a subprocess and check it succeeds.

    ``run_tool('train.py', CONFIG, '--work-dir', d, cfg_options=[...])``
    runs ``.py`` tools with this interpreter and ``.sh`` tools with bash
    (``PYTHON`` set to this interpreter); ``cfg_options`` are appended after
    ``--cfg-options``. Returns the completed process, whose ``stdout`` holds
    stdout and stderr together; a non-zero exit fails the test and shows the
    output's tail.
    """

    def run(tool, *args, cfg_options=None, env=None, timeout=300):
        script = osp.join(REPO_ROOT, 'tools', tool)
        launcher = ['bash'] if tool.endswith('.sh') else [sys.executable]
        cmd = launcher + [script, *map(str, args)]
        if cfg_options:
            cmd += ['--cfg-options', *cfg_options]
        proc = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            env=tool_env(**(env or {})),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout)
        if proc.returncode != 0:
            pytest.fail(f'{" ".join(cmd)} exited with {proc.returncode}:\n'
                        f'{proc.stdout[-6000:]}')
        return proc

    return run
