# Copyright (c) mmvidlm authors. All rights reserved.
from .adapter import AdapterLayer
from .dual_attention import DualAttentionLayer
from .frame_pooling import ConvPooling, LinearPooling
from .inti import InterFrameTokenInterpolation, InTIWeightPredictor
from .st_adapter import STAdapterLayer
from .sta_layer import STALayer
from .temporal_transformer import TemporalTransformerLayer
from .token_merging import TokenMerging
from .token_mix import TokenMixAttention, TokenMixLayer
from .token_pruning import TemporalAccumulationPruning
from .token_reduction import TokenLayout, TokenReducingLayer, TokenReduction
from .tome_layer import ToMeLayer
from .transformer_layer import VideoTransformerLayer
from .uniformerv2_blocks import GlobalUniBlocks, LocalMHRALayer

__all__ = [
    'AdapterLayer',
    'ConvPooling',
    'DualAttentionLayer',
    'GlobalUniBlocks',
    'InTIWeightPredictor',
    'InterFrameTokenInterpolation',
    'LinearPooling',
    'LocalMHRALayer',
    'STAdapterLayer',
    'STALayer',
    'TemporalAccumulationPruning',
    'TemporalTransformerLayer',
    'TokenMerging',
    'TokenMixAttention',
    'TokenMixLayer',
    'TokenLayout',
    'TokenReducingLayer',
    'TokenReduction',
    'ToMeLayer',
    'VideoTransformerLayer',
]
