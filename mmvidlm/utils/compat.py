# Copyright (c) mmvidlm authors. All rights reserved.
"""Compatibility fixes for the pinned OpenMMLab releases.

Applied once by ``import mmvidlm``; nothing in site-packages is edited.

1. ``mmaction2==1.2.0`` on PyPI lacks ``mmaction.models.localizers.drn``
   (open-mmlab/mmaction2#2714), so ``import mmaction.models`` fails. A
   placeholder package is registered in ``sys.modules`` in its place; its
   ``DRN`` raises a clear error if someone builds it.
2. torch >= 2.6 loads with ``weights_only=True`` by default and MMEngine
   0.10.7 does not pass the flag (open-mmlab/mmengine#1655), so resuming
   from an MMEngine checkpoint fails. MMEngine's loader of local files is
   replaced by one whose restricted unpickler accepts exactly what such a
   checkpoint holds (:mod:`mmvidlm.utils.checkpoint_pickle`); torch's own
   ``weights_only`` policy is left as it is for every other ``torch.load``.
"""
import importlib.util
import sys
import types
from importlib.metadata import PackageNotFoundError, version

#: (distribution, lowest supported, first unsupported); None = no bound.
SUPPORTED_VERSIONS = (
    ('torch', '2.1.0', None),
    ('mmengine', '0.10.5', '1.0.0'),
    ('mmcv-lite', '2.0.0', '2.2.0'),
    ('mmaction2', '1.2.0', '1.3.0'),
    ('mmpretrain', '1.2.0', '1.3.0'),
    ('transformers', '4.44.0', '4.52.0'),
)

_DRN_MODULE = 'mmaction.models.localizers.drn'


class _MissingDRN:
    """Stands in for MMAction2's DRN, absent from its 1.2.0 PyPI release."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            'DRN is not part of the mmaction2 1.2.0 release on PyPI '
            '(open-mmlab/mmaction2#2714); install mmaction2 from source to '
            'use it.')


def patch_mmaction_drn() -> bool:
    """Register a placeholder for the missing DRN localizer package.

    Returns:
        bool: True if the placeholder was installed, False if MMAction2
        ships the real package (nothing to fix).
    """
    if _DRN_MODULE in sys.modules:
        return False
    try:
        if importlib.util.find_spec(_DRN_MODULE) is not None:
            return False
    except ModuleNotFoundError:
        pass
    package = types.ModuleType(_DRN_MODULE)
    package.__path__ = []
    module = types.ModuleType(f'{_DRN_MODULE}.drn')
    module.DRN = package.DRN = _MissingDRN
    package.drn = module
    sys.modules[_DRN_MODULE] = package
    sys.modules[f'{_DRN_MODULE}.drn'] = module
    return True


def _parse(v: str) -> tuple:
    parts = []
    for p in v.split('+')[0].split('.')[:3]:
        digits = ''.join(c for c in p if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check_versions() -> list:
    """Check installed dependency versions against the supported ranges.

    Returns:
        list[str]: One message per problem (empty when all is well).
    """
    problems = []
    for dist, low, high in SUPPORTED_VERSIONS:
        try:
            installed = version(dist)
        except PackageNotFoundError:
            if dist == 'mmcv-lite':
                try:
                    installed = version('mmcv')
                except PackageNotFoundError:
                    installed = None
            else:
                installed = None
        if installed is None:
            problems.append(f'{dist} is not installed (need >={low}'
                            f'{f",<{high}" if high else ""}); run '
                            '`bash tools/setup_env.sh`.')
            continue
        if _parse(installed) < _parse(low) or (high and _parse(installed)
                                               >= _parse(high)):
            problems.append(f'{dist}=={installed} is not supported: mmvidlm '
                            f'needs >={low}{f",<{high}" if high else ""} '
                            '(see requirements/constraints.txt).')
    return problems
