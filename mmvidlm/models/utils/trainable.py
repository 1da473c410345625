# Copyright (c) mmvidlm authors. All rights reserved.
"""What a model trains, said by the model itself and applied when it is
built (before any wrapper such as DistributedDataParallel), so that plain
MMEngine optimizer constructors suffice and tools read it from the model."""
from typing import Dict, Iterator, List, Optional, Sequence

import torch.nn as nn
from mmengine.model import BaseAveragedModel


class TrainableMixin:
    """Freeze a module except the parts named by its ``trainable`` spec.

    A spec is a sequence of entries; each entry is a group of trained
    parameters. An entry is an alias of the class (``trainable_aliases``,
    e.g. ``'lh'`` for the language head), ``'bias'`` (every bias), or a
    dotted path from the module to a submodule or parameter, where a list
    index may be negative (``'layers.-1'``, ``'seq_gen_head.decoder.cls'``).
    Subclasses can name more selectors in :meth:`select` (e.g. a layer type).
    ``None`` trains everything; ``()`` freezes everything.

    Parts that own a spec themselves (submodules using this mixin, e.g. the
    backbone of a captioner) decide for themselves and are left alone.
    Frozen parts stay in eval mode (dropout, drop-path and batch-norm
    statistics as at test time) whatever ``train()`` the loops call.
    """
    #: ``{alias: (path, ...)}``: names of groups a spec can use.
    trainable_aliases: Dict[str, Sequence[str]] = {}

    def apply_trainable(self, trainable: Optional[Sequence[str]]) -> None:
        """Freeze every owned parameter not selected by ``trainable``.

        Call it at the end of ``__init__``, once every submodule exists.

        Args:
            trainable (Sequence[str], optional): The spec; see the class.

        Raises:
            ValueError: If an entry selects no parameter.
        """
        if isinstance(trainable, str):
            trainable = [trainable]
        self.trainable = None if trainable is None else tuple(trainable)
        #: ``{entry: [parameter names relative to this module]}``
        self.trainable_groups: Dict[str, List[str]] = {}
        if self.trainable is None:
            return
        owned = self._owned_param_names()
        for entry in self.trainable:
            names = [n for n in owned if self._entry_matches(entry, n)]
            if not names:
                raise ValueError(
                    f'trainable entry {entry!r} of {type(self).__name__} '
                    f'selects no parameter. Use an alias '
                    f'{sorted(self.trainable_aliases)}, \'bias\', a '
                    f'selector of {type(self).__name__}.select or a path '
                    f'of a submodule, e.g. {owned[-1].rsplit(".", 1)[0]!r}.')
            self.trainable_groups[entry] = names
        selected = {
            n
            for names in self.trainable_groups.values()
            for n in names
        }
        params = dict(self.named_parameters())
        for name in owned:
            params[name].requires_grad_(name in selected)

    def _owned_param_names(self) -> List[str]:
        """Parameter names (deduplicated, as the optimizer sees them) that
        no submodule with its own spec owns, nor an averaged copy (e.g. a
        momentum encoder, which follows its module and is never trained)."""
        others = [
            name + '.' for name, module in self.named_modules()
            if name and isinstance(module, (TrainableMixin, BaseAveragedModel))
        ]
        return [
            name for name, _ in self.named_parameters()
            if not any(name.startswith(prefix) for prefix in others)
        ]

    def _entry_matches(self, entry: str, name: str) -> bool:
        if entry == 'bias':
            return name.rsplit('.', 1)[-1] == 'bias'
        prefixes = self._entry_prefixes(entry)
        return any(name == p or name.startswith(p + '.') for p in prefixes)

    def _entry_prefixes(self, entry: str) -> List[str]:
        """Canonical names of the modules / parameters an entry selects."""
        if not hasattr(self, '_prefix_cache'):
            self._prefix_cache = {}
        if entry not in self._prefix_cache:
            paths = self.trainable_aliases.get(entry, (entry, ))
            names = {id(m): n for n, m in self.named_modules()}
            names.update({id(p): n for n, p in self.named_parameters()})
            prefixes = []
            for path in paths:
                head, *rest = path.split('.')
                for obj in self.select(head):
                    prefixes.extend(names[id(o)] for o in _follow(obj, rest)
                                    if id(o) in names)
            self._prefix_cache[entry] = prefixes
        return self._prefix_cache[entry]

    def select(self, head: str) -> list:
        """What the first component of a spec path names: by default the
        attribute of that name. Subclasses add selectors of several parts.

        Args:
            head (str): The first component of a path.

        Returns:
            list: Modules or parameters (empty if none).
        """
        return _follow(self, [head])

    def train(self, mode: bool = True):
        """Set training mode, keeping frozen parts in eval mode."""
        super().train(mode)
        if mode and getattr(self, 'trainable', None) is not None:
            for module in _frozen_parts(self):
                module.train(False)
        return self


def _follow(obj, path: Sequence[str]) -> list:
    """``[obj.a.b]`` for path ``['a', 'b']``: integer components index a
    list (negative too), other components of a list apply to each of its
    modules (``layers.ln1``); what does not exist is left out."""
    objs = [obj]
    for key in path:
        found = []
        for obj in objs:
            is_list = isinstance(obj, (nn.ModuleList, nn.Sequential))
            if is_list and key.lstrip('-').isdigit():
                if -len(obj) <= int(key) < len(obj):
                    found.append(obj[int(key)])
            elif is_list:
                found.extend(getattr(m, key, None) for m in obj)
            elif isinstance(obj, nn.Module):
                found.append(getattr(obj, key, None))
        objs = [o for o in found if o is not None]
    return [o for o in objs if isinstance(o, (nn.Module, nn.Parameter))]


def _frozen_parts(module: nn.Module) -> Iterator[nn.Module]:
    """The largest submodules whose parameters are all frozen (parts that
    own a spec are left to themselves)."""
    for child in module.children():
        if isinstance(child, TrainableMixin):
            continue
        params = list(child.parameters())
        if params and not any(p.requires_grad for p in params):
            yield child
        else:
            yield from _frozen_parts(child)


def trainable_groups(model: nn.Module) -> Dict[str, List[str]]:
    """The trained parameters of a built model, by group.

    Groups are those of the specs of the model and its parts, named
    ``'<part path>:<entry>'`` (``'backbone:TokenMixLayer'``, ``':lh'`` for the
    model's own); trained parameters that no spec covers (parts without a
    spec, such as a recognizer's ``cls_head``) are grouped by their
    top-level part. Every trained parameter is in exactly one group.

    Args:
        model (nn.Module): The built model (unwrapped).

    Returns:
        dict[str, list[str]]: Full parameter names per group.
    """
    groups: Dict[str, List[str]] = {}
    covered = set()
    for path, module in model.named_modules():
        if not isinstance(module, TrainableMixin) or \
                module.trainable is None:
            continue
        prefix = path + '.' if path else ''
        for entry, names in module.trainable_groups.items():
            full = [prefix + n for n in names if prefix + n not in covered]
            covered.update(full)
            groups[f'{path}:{entry}'] = full
    for name, param in model.named_parameters():
        if param.requires_grad and name not in covered:
            groups.setdefault(name.split('.')[0], []).append(name)
    return groups
