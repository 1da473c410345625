# Copyright (c) mmvidlm authors. All rights reserved.
"""The tools MMAction2 users reach for: test.py --show-dir/--show and
runner_type, Slurm scripts, analyze_logs.py, print_config.py, and
MMAction2's own tools on mmvidlm configs."""
import json
import os
import pickle
import subprocess
import sys

import pytest
import torch

from mmvidlm.datasets.synthetic import CLASS_NAMES

DEMO_CONFIG = 'configs/demo/naive_vit-tiny_synthetic-motion.py'
REPO_ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_python(*args):
    """Run a Python script in the repository root, this clone first on
    the path; the completed process (not checked)."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            p for p in (REPO_ROOT, os.environ.get('PYTHONPATH')) if p),
        OMP_NUM_THREADS='1',
        CUDA_VISIBLE_DEVICES='')
    return subprocess.run([sys.executable, *map(str, args)],
                          cwd=REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True)


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    """The untrained demo model, biased to class 4, with class names."""
    from mmvidlm.apis import init_model
    torch.manual_seed(0)
    state = init_model(DEMO_CONFIG).state_dict()
    state['cls_head.fc_cls.bias'][4] = 100.
    path = tmp_path_factory.mktemp('ckpt') / 'model.pth'
    torch.save(
        dict(
            state_dict=state,
            meta=dict(dataset_meta=dict(classes=list(CLASS_NAMES)))), path)
    return path


def test_test_show_dir_and_runner_type(tmp_path, run_tool, checkpoint,
                                       synthetic_options):
    show_dir = tmp_path / 'show'
    out = run_tool(
        'test.py',
        DEMO_CONFIG,
        checkpoint,
        '--work-dir',
        tmp_path / 'work',
        '--show-dir',
        show_dir,
        '--show',
        cfg_options=synthetic_options +
        ['runner_type=CPUDistributedRunner']).stdout
    # 2 validation videos per class, each with its json and frame strip
    names = sorted(p.stem for p in show_dir.glob('*.json'))
    assert len(names) == 12
    assert sorted(p.stem for p in show_dir.glob('*.jpg')) == names
    import cv2
    strip = cv2.imread(str(show_dir / f'{names[0]}.jpg'))
    assert strip.shape == (96 + 24, 8 * 96, 3)  # 8 frames, text band
    prediction = json.loads((show_dir / f'{names[0]}.json').read_text())
    assert prediction['top5'][0]['label'] == CLASS_NAMES[4]
    assert prediction['gt_label'] in CLASS_NAMES
    assert prediction['video'].endswith(f'{names[0]}.mp4')
    assert f'{names[0]}: {CLASS_NAMES[4]} (1.00)' in out
    # the config's runner_type was built (its log names CPU processes)
    assert 'CPU processes: 1' in out and 'GPU number' not in out


def test_slurm_scripts_random_master_port(tmp_path, run_tool):
    fake_srun = tmp_path / 'bin' / 'srun'
    fake_srun.parent.mkdir()
    fake_srun.write_text('#!/bin/sh\necho "PORT=$MASTER_PORT ARGS=$*"\n')
    fake_srun.chmod(0o755)
    path = f'{fake_srun.parent}{os.pathsep}{os.environ["PATH"]}'
    ports = set()
    for _ in range(3):
        out = run_tool(
            'slurm_test.sh',
            'part',
            'job',
            DEMO_CONFIG,
            'ckpt.pth',
            '--show',
            env=dict(PATH=path)).stdout
        line = [x for x in out.splitlines() if x.startswith('PORT=')][0]
        port = int(line.split()[0][5:])
        assert 12000 <= port < 32000
        assert f'test.py {DEMO_CONFIG} ckpt.pth --launcher=slurm --show' \
            in line
        ports.add(port)
    assert len(ports) > 1  # random: 3 draws of 20000 ports
    out = run_tool(
        'slurm_train.sh',
        'part',
        'job',
        DEMO_CONFIG,
        env=dict(PATH=path, MASTER_PORT='23456')).stdout
    assert 'PORT=23456' in out and 'train.py' in out


def test_analyze_logs_on_a_two_iteration_training(tmp_path, run_tool,
                                                  synthetic_options):
    work_dir = tmp_path / 'work'
    run_tool(
        'train.py',
        DEMO_CONFIG,
        '--work-dir',
        work_dir,
        cfg_options=synthetic_options + [
            'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
            'train_dataloader.batch_size=12', 'default_hooks.logger.interval=1'
        ])
    log = str(next(work_dir.glob('*/vis_data/scalars.json')))
    png = tmp_path / 'curves.png'
    out = run_tool('analysis_tools/analyze_logs.py', 'plot_curve', log,
                   '--keys', 'loss', 'acc/top1', '--out', png).stdout
    assert f'save curve to: {png}' in out
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    out = run_tool('analysis_tools/analyze_logs.py', 'cal_train_time',
                   log).stdout
    assert 'average iter time:' in out
    bad = run_python('tools/analysis_tools/analyze_logs.py', 'plot_curve', log,
                     '--keys', 'no_such_key')
    assert bad.returncode != 0 and "has no 'no_such_key'" in bad.stderr


def test_print_config(run_tool):
    out = run_tool('analysis_tools/print_config.py', DEMO_CONFIG,
                   '--cfg-options', 'train_dataloader.batch_size=3').stdout
    assert "default_scope = 'mmvidlm'" in out
    assert 'batch_size=3' in out


def test_mmaction2_tools_on_mmvidlm_configs(tmp_path, run_tool, checkpoint,
                                            synthetic_options):
    import mmaction
    tools = os.path.join(os.path.dirname(mmaction.__file__), '.mim', 'tools')
    # MMAction2's test.py: default_scope='mmvidlm' imports mmvidlm.registry,
    # hence mmvidlm and its fixes, before the runner builds MMAction2's parts
    proc = run_python(
        os.path.join(tools, 'test.py'), DEMO_CONFIG, checkpoint, '--work-dir',
        tmp_path / 'work', '--cfg-options', *synthetic_options)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'acc/top1: 0.1667' in proc.stdout + proc.stderr  # all class 4
    # tools that import MMAction2's models first go through the wrapper
    out_file = tmp_path / 'cm.pkl'
    run_tool('mmaction_tool.py', 'analysis_tools/confusion_matrix.py',
             DEMO_CONFIG, checkpoint, '--out', out_file, '--cfg-options',
             *synthetic_options)
    with open(out_file, 'rb') as f:
        matrix = pickle.load(f)
    assert matrix.shape == (6, 6) and matrix[:, 4].sum() == 12
