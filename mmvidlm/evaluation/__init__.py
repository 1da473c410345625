# Copyright (c) mmvidlm authors. All rights reserved.
import mmaction.evaluation  # noqa: F401  (registers MMAction2's metrics)

from .metrics import *  # noqa: F401,F403,E402
