# Copyright (c) mmvidlm authors. All rights reserved.
"""tools/dist_train.sh with 2 processes on a machine without a GPU."""
DEMO_CONFIG = 'configs/demo/naive_vit-tiny_synthetic-motion.py'


def test_dist_train_two_cpu_processes(tmp_path, run_tool, synthetic_options,
                                      free_port):
    work_dir = tmp_path / 'work_dir'
    out = run_tool(
        'dist_train.sh',
        DEMO_CONFIG,
        2,
        '--work-dir',
        work_dir,
        env=dict(PORT=str(free_port)),
        cfg_options=synthetic_options + [
            'train_cfg.max_epochs=1', 'train_dataloader.batch_size=4',
            'default_hooks.logger.interval=1'
        ])
    log = out.stdout.replace('  ', ' ')
    assert 'Distributed training: True' in log
    # the truth about a CPU run: gloo, CPU processes (not nccl, GPUs)
    assert 'CPU processes: 2' in log and 'GPU number' not in log
    assert "dist_cfg: {'backend': 'gloo'}" in log and 'nccl' not in log
    # 24 training videos split over 2 processes of batch 4: 3 iterations.
    assert 'Epoch(train) [1][3/3]' in log
    assert (work_dir / 'epoch_1.pth').exists()
