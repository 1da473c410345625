# Copyright (c) mmvidlm authors. All rights reserved.
from .checkpoint_convert import (LAYOUTS, NATIVE_LAYOUT, convert_state_dict,
                                 detect_layout)
from .param_report import param_report, updated_params, visual_updated_params
from .pretrained import (PretrainedInit, cache_path, convert_checkpoint_file,
                         download_cached, load_pretrained, load_weights,
                         place_components)
from .tokens import frame_pairs, from_grid, patch_grid, to_grid
from .torchscript_weights import read_torchscript_weights
from .trainable import TrainableMixin, trainable_groups

__all__ = [
    'LAYOUTS', 'NATIVE_LAYOUT', 'convert_state_dict', 'detect_layout',
    'PretrainedInit', 'cache_path', 'convert_checkpoint_file',
    'download_cached', 'read_torchscript_weights', 'load_pretrained',
    'load_weights', 'param_report', 'place_components', 'updated_params',
    'visual_updated_params', 'frame_pairs', 'from_grid', 'patch_grid',
    'to_grid', 'TrainableMixin', 'trainable_groups'
]
