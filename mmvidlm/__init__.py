# Copyright (c) mmvidlm authors. All rights reserved.
"""mmvidlm: image-language ViTs (CLIP, BLIP) adapted to video."""
import warnings

from .utils.checkpoint_pickle import register_checkpoint_loader
from .utils.compat import check_versions, patch_mmaction_drn
from .version import __version__, version_info

# mmcv-lite has no compiled ops by design; MMAction2 imports timm's old path.
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
warnings.filterwarnings(
    'ignore', message='Importing from timm.models.layers is deprecated')
patch_mmaction_drn()
register_checkpoint_loader()
for _problem in check_versions():
    warnings.warn(_problem, stacklevel=2)

__all__ = ['__version__', 'version_info']
