# Copyright (c) mmvidlm authors. All rights reserved.
"""The methods the benchmark tools compare: one list, read by
``compare_methods.py``, ``clip_length_scaling.py``,
``synthetic_benchmark.py`` and, for its video encoders,
``synthetic_vl_benchmark.py`` (:data:`VL_METHODS`).

Each entry names a method, its family and its config, plus what only the
benchmarks need: the label of its video encoder in the speed tables
(``speed``; None: not timed) and the overrides that build it at the
synthetic benchmark's tiny size (``tiny``; None: not trained there). The
configs are the method index's (``model-index.yml``: every config here
must have its metafile entry, which :func:`load_methods` checks and
attaches), so a method is described once, in its metafile, and the
benchmarks only choose among them.
"""
import importlib.util
import os.path as osp
from typing import NamedTuple, Optional, Sequence

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: Configs shipped inside the installed MMAction2 package start with this.
MMACTION_PREFIX = 'mmaction::'

#: The InTI family's insertion points on the 4-layer tiny ViT (the ViT-B
#: configs insert after blocks 5 and 9 of 12).
TINY_INTI = dict(inti_layers=(2, 3))
#: ToMe and STA as their papers on the tiny ViT (16 patches per frame),
#: within a few % of tiny InTI + UniFormerV2's GFLOPs (docs/reproduction.md
#: 2.2): ToMe merges in every block (3 tokens of a frame in the first, 2 in
#: the others: a decreasing schedule, as ToMe's paper discusses), STA prunes
#: 3 after blocks 1, 2 and 3 (depth/3 + 1, 2 depth/3 + 1 of 4).
TINY_TOME = dict(
    layer_cfgs=[dict(type='ToMeLayer', r=2),
                dict(r=3, layers=[0])])
TINY_STA = dict(layer_cfgs=[
    dict(type='STALayer', r=3, layers=[0, 2]),
    dict(type='STALayer', r=3, reverse=True, layers=[1])
])


class Method(NamedTuple):
    """A method of the benchmarks.

    Args:
        name (str): Its name in the tables.
        family (str): baseline, InTI, compressive, token mixing or PEFT.
        config (str): Its config, relative to the repository (an entry of
            the method index), or ``mmaction::<path under MMAction2's
            configs>``.
        speed (str, optional): Label of its video encoder (ViT-B size) in
            the speed tables; None if it is not timed (several methods may
            share one encoder: only one of them is timed).
        tiny (dict, optional): Backbone overrides for the synthetic
            benchmark's tiny ViT, merged over its common tiny settings
            (a ``layer_cfgs`` dict over the config's, e.g. a width);
            None if the method is not trained there. What trains is the
            config's (its backbone's ``trainable``) unless overridden here.
    """
    name: str
    family: str
    config: str
    speed: Optional[str] = None
    tiny: Optional[dict] = {}

    @property
    def config_path(self) -> str:
        """The config's absolute path."""
        if self.config.startswith(MMACTION_PREFIX):
            import mmaction
            return osp.join(
                osp.dirname(mmaction.__file__), '.mim', 'configs',
                self.config[len(MMACTION_PREFIX):])
        return osp.join(REPO, self.config)


METHODS = (
    Method('naive', 'baseline', 'configs/naive/vit-b_k400.py',
           'naive ViT-B/16'),
    Method('InTI', 'InTI', 'configs/inti/vit-b_k400.py', 'InTI-B (5, 9)',
           TINY_INTI),
    Method('InTI + UniFormerV2 modules', 'InTI',
           'configs/inti/vit-b_uniformerv2_k400.py',
           'InTI-B + UniFormerV2 modules', TINY_INTI),
    Method(
        'UniFormerV2', 'baseline', MMACTION_PREFIX +
        'recognition/uniformerv2/uniformerv2-base-p16-res224_clip_'
        '8xb32-u8_kinetics400-rgb.py', 'MMAction2 UniFormerV2-B/16', None),
    *(Method(
        name,
        'compressive',
        f'configs/compressive/{prefix}_vit-b_uniformerv2_k400.py',
        tiny=tiny)
      for name, prefix, tiny in (('LinearPooling', 'linearpooling', TINY_INTI),
                                 ('ConvPooling', 'convpooling', TINY_INTI),
                                 ('ToMe', 'tome', TINY_TOME),
                                 ('STA', 'sta', TINY_STA))),
    Method('token mixing (partial FT)', 'token mixing',
           'configs/tokenmix/blip-b_msrvtt-caption.py', 'TokenMix ViT-B/16'),
    Method(
        'token mixing (full FT)',
        'token mixing',
        'configs/tokenmix/blip-b_msrvtt-caption.py',
        tiny=dict(trainable=None)),
    Method('last layer (partial FT, no mixing)', 'PEFT',
           'configs/peft/plain_blip-b_msrvtt-caption.py',
           'plain BLIP ViT-B/16'),
    Method('ViViT (full FT)', 'PEFT',
           'configs/peft/vivit_blip-b_msrvtt-caption.py'),
    Method('temporal FT', 'PEFT',
           'configs/peft/temporal-ft_blip-b_msrvtt-caption.py'),
    Method('dual-channel attention', 'PEFT',
           'configs/peft/dual-attention_blip-b_msrvtt-caption.py'),
    # bottlenecks at the ViT-B ratios (96 / 768, 384 / 768) of 64 channels
    Method(
        'Adapter',
        'PEFT',
        'configs/peft/adapter_blip-b_msrvtt-caption.py',
        tiny=dict(layer_cfgs=dict(bottleneck=8))),
    Method(
        'ST-Adapter',
        'PEFT',
        'configs/peft/st-adapter_blip-b_msrvtt-caption.py',
        tiny=dict(layer_cfgs=dict(adapter_channels=32))),
    Method('BitFit', 'PEFT', 'configs/peft/bitfit_blip-b_msrvtt-caption.py'),
)


class VLMethod(NamedTuple):
    """A video encoder of the synthetic video-language benchmark
    (``synthetic_vl_benchmark.py``).

    Args:
        name (str): Its name in the tables.
        family (str): baseline, token mixing, InTI or InTI + token mixing.
        configs (dict): Its config of each task (``'caption'``,
            ``'retrieval'``), entries of the method index: the benchmark
            takes their video encoder and what they train.
        tiny (dict): Backbone overrides for the tiny BLIP encoder, merged
            over its common tiny settings (e.g. the InTI insertion points).
    """
    name: str
    family: str
    configs: dict
    tiny: dict = {}


def _vl_configs(caption: str, retrieval: str) -> dict:
    """The configs of a video encoder by task, under ``configs/``."""
    return dict(caption=f'configs/{caption}', retrieval=f'configs/{retrieval}')


#: The video encoders of the synthetic video-language benchmark; the first
#: is the reference whose weights every other one starts from.
VL_METHODS = (
    VLMethod(
        'plain BLIP encoder', 'baseline',
        _vl_configs('peft/plain_blip-b_msrvtt-caption.py',
                    'peft/plain_blip-b_msrvtt-retrieval.py')),
    VLMethod(
        'token mixing', 'token mixing',
        _vl_configs('tokenmix/blip-b_msrvtt-caption.py',
                    'tokenmix/blip-b_msrvtt-retrieval.py')),
    VLMethod(
        'InTI', 'InTI',
        _vl_configs('inti_tokenmix/inti-only_blip-b_msrvtt-caption.py',
                    'inti_tokenmix/inti-only_blip-b_msrvtt-retrieval.py'),
        TINY_INTI),
    VLMethod(
        'InTI + token mixing', 'InTI + token mixing',
        _vl_configs('inti_tokenmix/blip-b_msrvtt-caption.py',
                    'inti_tokenmix/blip-b_msrvtt-retrieval.py'), TINY_INTI),
)


def load_methods(kind: str, only: Optional[Sequence[str]] = None) -> list:
    """The methods a tool compares, in table order.

    Args:
        kind (str): ``'speed'`` (the timed video encoders, ``Method.speed``
            set), ``'synthetic'`` (the tiny classifiers, ``Method.tiny``
            set) or ``'vl'`` (:data:`VL_METHODS`, the video encoders of the
            synthetic video-language benchmark).
        only (Sequence[str], optional): Keep the methods whose name (or
            speed label) contains one of these substrings, case-insensitive;
            an unmatched substring is an error.

    Returns:
        list[Method | VLMethod]: The methods; for ``'speed'`` with ``name``
        replaced by the speed label.
    """
    if kind == 'speed':
        methods = [m._replace(name=m.speed) for m in METHODS if m.speed]
    elif kind == 'synthetic':
        methods = [m for m in METHODS if m.tiny is not None]
    elif kind == 'vl':
        methods = list(VL_METHODS)
    else:
        raise ValueError(
            f"kind must be 'speed', 'synthetic' or 'vl', got {kind!r}")
    methods = [_indexed(m) for m in methods]
    if not only:
        return methods
    unknown = [
        s for s in only
        if not any(s.lower() in m.name.lower() for m in methods)
    ]
    if unknown:
        raise ValueError(f'--methods {unknown} match none of: ' +
                         ', '.join(m.name for m in methods))
    return [
        m for m in methods if any(s.lower() in m.name.lower() for s in only)
    ]


def _indexed(method):
    """Check that the method's configs are entries of the method index."""
    configs = method.configs.values() if isinstance(
        method, VLMethod) else [method.config]
    configs = [c for c in configs if not c.startswith(MMACTION_PREFIX)]
    if not configs:
        return method
    spec = importlib.util.spec_from_file_location(
        'model_index', osp.join(osp.dirname(__file__), 'model_index.py'))
    model_index = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model_index)
    indexed = model_index.models_by_config()
    for config in configs:
        if config not in indexed:
            raise KeyError(f'{config} ({method.name}) has no entry in the '
                           f'method index (configs/<method>/metafile.yml).')
    return method
