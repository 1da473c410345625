# Copyright (c) mmvidlm authors. All rights reserved.
"""Run one of MMAction2's tools (those its pip package ships under
``mmaction/.mim/tools``) on mmvidlm configs.

    python tools/mmaction_tool.py analysis_tools/confusion_matrix.py \\
        CONFIG CHECKPOINT_OR_RESULT.pkl [tool args]

mmvidlm is imported first, so that its compatibility fixes
(``mmvidlm/utils/compat.py``) apply before the tool imports MMAction2's
models. (Tools that build from the config without importing MMAction2's
models first, such as MMAction2's ``tools/test.py``, need no wrapper:
``default_scope = 'mmvidlm'`` makes MMEngine import ``mmvidlm.registry``,
hence mmvidlm, before it builds anything.)
"""
import os.path as osp
import runpy
import sys

import mmvidlm  # noqa: F401  (compatibility fixes first)


def main():
    import mmaction
    tools = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools')
    if len(sys.argv) < 2:
        sys.exit(f'usage: {sys.argv[0]} TOOL [args]; TOOL is a path under '
                 f'{tools}, e.g. analysis_tools/confusion_matrix.py')
    tool = osp.join(tools, sys.argv[1])
    if not osp.isfile(tool):
        sys.exit(f'MMAction2 has no tool {sys.argv[1]} (looked for {tool}).')
    sys.argv = [tool] + sys.argv[2:]
    runpy.run_path(tool, run_name='__main__')


if __name__ == '__main__':
    main()
