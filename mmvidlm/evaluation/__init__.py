# Copyright (c) mmvidlm authors. All rights reserved.
import mmaction.evaluation  # noqa: F401  (registers MMAction2's metrics)
