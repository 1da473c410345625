# Copyright (c) mmvidlm authors. All rights reserved.
# isort: skip_file (compatibility fixes before MMAction2 is imported)
import mmvidlm  # noqa: F401  (compatibility fixes before mmaction.models)
import mmaction.models  # noqa: F401,E402  (registers MMAction2's models)

from .backbones import *  # noqa: F401,F403,E402
from .layers import *  # noqa: F401,F403,E402
from .multimodal import *  # noqa: F401,F403,E402
from .utils import *  # noqa: F401,F403,E402
