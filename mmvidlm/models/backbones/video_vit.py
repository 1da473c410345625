# Copyright (c) mmvidlm authors. All rights reserved.
import copy
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn.bricks.transformer import PatchEmbed
from mmengine.logging import MMLogger
from mmengine.model import BaseModule, ModuleDict, ModuleList
from mmengine.model.weight_init import trunc_normal_
from mmpretrain.models.utils import build_norm_layer, resize_pos_embed
from torch.utils.checkpoint import checkpoint

from mmvidlm.registry import MODELS
from ..layers.token_reduction import TokenLayout
from ..utils.trainable import TrainableMixin


@MODELS.register_module()
class VideoViT(TrainableMixin, BaseModule):
    """A CLIP/BLIP image ViT applied to the frames of a video.

    This is the "naive adaptation" of an image ViT to video (TSN-style): each
    frame goes through the image model independently and the [CLS] tokens
    are averaged over time. Parameter names follow MMPretrain's
    ``VisionTransformer`` (``patch_embed.projection``, ``cls_token``,
    ``pos_embed``, ``pre_norm``, ``layers.N.*``, ``ln1``), so converted CLIP
    and BLIP checkpoints load unchanged; CLIP and BLIP encoders differ only
    in ``act_cfg``, ``norm_cfg`` and ``pre_norm``. A method is

    * a layer type chosen per layer (``layer_cfgs``): token mixing
      (``TokenMixLayer``), adapters, ST-adapters, dual-channel attention,
      UniFormerV2's local MHRA; every layer maps ``(B, T, N, C)`` tensors;
    * and/or modules inserted between blocks (``between_block_cfgs``),
      called as ``x = module(x)`` (frame compressors: ``(B, T, N, C) ->
      (B, T/2, N, C)``);
    * a layer or inserted module with ``needs_size = True`` reduces the
      tokens of every frame (ToMe, STA: ``ToMeLayer``, ``STALayer``,
      :class:`TokenReduction`) and is called as ``x, layout = module(x,
      layout)``, with ``layout`` (:class:`TokenLayout`) the patches each
      token stands for and where they were in the grid (that of the
      unreduced tokens at the first);
    * and/or temporal transformer blocks after the spatial ones
      (``temporal_layers``, ViViT's factorised encoder) or UniFormerV2's
      global UniBlocks reading the last blocks' outputs
      (``global_uniblocks``).

    What is trained is the model's own setting (``trainable``), applied when
    the backbone is built.

    Args:
        arch (str | dict): ViT size: ``'tiny'`` (tests and demos), ``'b'``
            or ``'l'``, or a dict with ``embed_dims``, ``num_layers``,
            ``num_heads`` and ``feedforward_channels``. Defaults to ``'b'``.
        num_frames (int): Frames per clip the model is configured for (size
            of the temporal position embeddings, also given to the layer
            types with ``takes_num_frames = True``; subclasses validate
            their temporal design with it). Defaults to 8.
        img_size (int): Input resolution. Defaults to 224.
        patch_size (int): Patch size (16 for ViT-B/16, 14 for ViT-L/14).
            Defaults to 16.
        in_channels (int): Input channels. Defaults to 3.
        drop_rate (float): Dropout after the position embedding and in the
            layers. Defaults to 0.
        drop_path_rate (float): Stochastic depth, linearly increasing over
            the layers; the temporal blocks use the rate of the last layer.
            Defaults to 0.
        qkv_bias (bool): Bias of the qkv projection. Defaults to True.
        norm_cfg (dict): Normalisation layers. Defaults to LN with eps 1e-5
            (CLIP; BLIP uses 1e-6).
        act_cfg (dict): FFN activation: MMPretrain's ``QuickGELU`` for
            OpenAI CLIP, ``GELU`` for BLIP. Defaults to
            ``dict(type='mmpretrain.QuickGELU')``.
        pre_norm (bool): LayerNorm before the first layer (CLIP's
            ``ln_pre``); also removes the patch-embedding bias, as in CLIP.
            Defaults to True.
        final_norm (bool): LayerNorm after the last layer (CLIP's
            ``ln_post``). Not built with ``global_uniblocks``: UniFormerV2
            fuses the last block's pre-norm frame [CLS] tokens (MMAction2's
            ``UniFormerV2``: ``residual``), so CLIP's ``ln_post`` is left
            unused when its weights are loaded. Defaults to True.
        out_type (str): ``'cls_mean'``: (B, C), the [CLS] tokens averaged
            over frames; ``'cls'``: (B, T, C); ``'raw'``: (B, T, N, C), all
            tokens. T and N are those after any compression. Defaults to
            ``'cls_mean'``.
        layer_cfgs (dict | Sequence[dict]): Layer overrides, applied in
            order. An override with a ``layers`` key (indices, 0-based as in
            the parameter names ``layers.{i}``; negative ones count from the
            end) applies to those layers, one without it to every layer. A
            ``type`` key picks a registered layer class (default
            ``VideoTransformerLayer``), e.g.
            ``dict(type='TokenMixLayer', layers=[-1])``. Defaults to
            ``dict()``.
        between_block_cfgs (dict, optional): ``{k: cfg}`` builds a module
            inserted after block k (1-based, as papers count). Defaults to
            None.
        temporal_layers (int): Temporal transformer blocks after the
            spatial encoder and its final norm (ViViT's factorised encoder,
            Eq. 4 of Token Mixing), with a zero-initialised temporal position
            embedding and their own final norm ``temporal_ln``. When an
            image checkpoint is loaded, temporal block i is initialised from
            spatial layer ``temporal_init_layers[i]`` and the norm from
            ``ln1``. Defaults to 0.
        temporal_init_layers (Sequence[int], optional): The spatial layers
            (0-based; negative ones count from the end) whose checkpoint
            weights initialise the temporal blocks, one per block. The Token
            Mixing reference copies ViT blocks 0-3 (``[0, 1, 2, 3]``). None:
            the last ``temporal_layers`` layers. Defaults to None.
        global_uniblocks (dict, optional): Config of UniFormerV2's global
            UniBlocks (``GlobalUniBlocks``; ``embed_dims`` and ``num_heads``
            are filled in), which read the outputs of the last blocks and
            need ``out_type='cls_mean'``; they take the place of the final
            norm and exclude ``temporal_layers``. Defaults to None.
        trainable (Sequence[str], optional): What the backbone trains; the
            rest is frozen when it is built and kept in eval mode during
            training. Entries: a layer type (``'TokenMixLayer'``: the
            token-mixing layers), optionally with a submodule
            (``'TokenMixLayer.attn'``); ``'adapters'`` (the modules each
            layer type adds to the image layer, its ``adapters``);
            ``'temporal'`` (temporal blocks, their embedding and norm);
            ``'lp'`` (everything outside the blocks: patch embedding,
            position embedding, [CLS], the norms before and after the
            blocks);
            ``'bias'``; or a path (``'layers.-1'``, ``'layers.ln1'`` for
            that norm of every layer, ``'between_blocks'``). None trains
            everything. Defaults to None.
        interpolate_mode (str): Position-embedding resize mode for another
            resolution. Defaults to ``'bicubic'``.
        with_cp (bool): Gradient checkpointing of every layer (saves memory
            when training). Defaults to False.
        init_cfg (dict | list[dict], optional): Initialisation, e.g.
            ``dict(type='Pretrained', checkpoint=URL, prefix='backbone.')``.
    """
    arch_zoo = {
        **dict.fromkeys(
            ['tiny', 't'], {
                'embed_dims': 64,
                'num_layers': 4,
                'num_heads': 4,
                'feedforward_channels': 256
            }),
        **dict.fromkeys(
            ['b', 'base'], {
                'embed_dims': 768,
                'num_layers': 12,
                'num_heads': 12,
                'feedforward_channels': 3072
            }),
        **dict.fromkeys(
            ['l', 'large'], {
                'embed_dims': 1024,
                'num_layers': 24,
                'num_heads': 16,
                'feedforward_channels': 4096
            }),
    }
    num_extra_tokens = 1  # the [CLS] token
    OUT_TYPES = ('cls_mean', 'cls', 'raw')
    trainable_aliases = {
        'temporal': ('temporal_layers', 'temporal_pos_embed', 'temporal_ln'),
        # What the Token Mixing reference trains outside the blocks
        # (its "linear projection", LP): not counted in the paper's UP.
        'lp': ('patch_embed', 'pos_embed', 'cls_token', 'pre_norm', 'ln1'),
    }

    def __init__(self,
                 arch: Union[str, dict] = 'b',
                 num_frames: int = 8,
                 img_size: int = 224,
                 patch_size: int = 16,
                 in_channels: int = 3,
                 drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 qkv_bias: bool = True,
                 norm_cfg: dict = dict(type='LN', eps=1e-5),
                 act_cfg: dict = dict(type='mmpretrain.QuickGELU'),
                 pre_norm: bool = True,
                 final_norm: bool = True,
                 out_type: str = 'cls_mean',
                 layer_cfgs: Union[dict, Sequence[dict]] = dict(),
                 between_block_cfgs: Optional[Dict[int, dict]] = None,
                 temporal_layers: int = 0,
                 temporal_init_layers: Optional[Sequence[int]] = None,
                 global_uniblocks: Optional[dict] = None,
                 trainable: Optional[Sequence[str]] = None,
                 interpolate_mode: str = 'bicubic',
                 with_cp: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None):
        super().__init__(init_cfg=init_cfg)
        self.arch_settings = self._parse_arch(arch)
        self.embed_dims = self.arch_settings['embed_dims']
        self.num_layers = self.arch_settings['num_layers']
        self.num_heads = self.arch_settings['num_heads']
        self.num_frames = num_frames
        self.patch_size = patch_size
        if out_type not in self.OUT_TYPES:
            raise ValueError(f'out_type must be one of {self.OUT_TYPES}, '
                             f'got {out_type!r}')
        self.out_type = out_type
        self.interpolate_mode = interpolate_mode
        self.with_cp = with_cp

        self.patch_embed = PatchEmbed(
            in_channels=in_channels,
            input_size=img_size,
            embed_dims=self.embed_dims,
            conv_type='Conv2d',
            kernel_size=patch_size,
            stride=patch_size,
            bias=not pre_norm)
        self.patch_resolution = self.patch_embed.init_out_size
        num_patches = self.patch_resolution[0] * self.patch_resolution[1]
        self.cls_token = nn.Parameter(torch.zeros(1, 1, self.embed_dims))
        self.pos_embed = nn.Parameter(
            torch.zeros(1, num_patches + self.num_extra_tokens,
                        self.embed_dims))
        self._register_load_state_dict_pre_hook(self._prepare_pos_embed)
        self.drop_after_pos = nn.Dropout(p=drop_rate)
        self.pre_norm = build_norm_layer(
            norm_cfg, self.embed_dims) if pre_norm else nn.Identity()

        layer_kwargs = dict(
            drop_rate=drop_rate,
            qkv_bias=qkv_bias,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        dpr = torch.linspace(
            0, drop_path_rate, self.num_layers, device='cpu').tolist()
        self.layers = ModuleList(
            MODELS.build(self._layer_cfg(override, dpr[i], **layer_kwargs))
            for i, override in enumerate(self._layer_overrides(layer_cfgs)))
        # UniFormerV2's frame-[CLS] branch reads the pre-norm tokens.
        self.final_norm = final_norm and global_uniblocks is None
        if self.final_norm:
            self.ln1 = build_norm_layer(norm_cfg, self.embed_dims)

        self.between_blocks = ModuleDict()
        for block, cfg in sorted((between_block_cfgs or {}).items()):
            if not 1 <= int(block) < self.num_layers:
                raise ValueError(
                    f'A module can be inserted after blocks 1..'
                    f'{self.num_layers - 1} of this {self.num_layers}-layer '
                    f'ViT, got block {block}.')
            self.between_blocks[str(block)] = MODELS.build(cfg)

        self._build_temporal_layers(temporal_layers, dpr[-1], layer_kwargs)
        self.temporal_init_layers = self._temporal_init_layers(
            temporal_layers, temporal_init_layers)
        self.global_uniblocks = None
        if global_uniblocks is not None:
            self._build_global_uniblocks(global_uniblocks)
        self.apply_trainable(trainable)

    def _parse_arch(self, arch: Union[str, dict]) -> dict:
        if isinstance(arch, str):
            if arch.lower() not in self.arch_zoo:
                raise ValueError(f'Unknown arch {arch!r}; choose from '
                                 f'{sorted(set(self.arch_zoo))} or a dict.')
            return self.arch_zoo[arch.lower()]
        essential = {
            'embed_dims', 'num_layers', 'num_heads', 'feedforward_channels'
        }
        if not (isinstance(arch, dict) and essential <= set(arch)):
            raise ValueError(f'A custom arch needs the keys {essential}.')
        return arch

    def _layer_overrides(self,
                         layer_cfgs: Union[dict,
                                           Sequence[dict]]) -> List[dict]:
        """One merged override per layer from ``layer_cfgs``."""
        if isinstance(layer_cfgs, dict):
            layer_cfgs = [layer_cfgs]
        overrides = [dict() for _ in range(self.num_layers)]
        for cfg in layer_cfgs:
            cfg = copy.deepcopy(dict(cfg))
            indices = cfg.pop('layers', None)
            for i in self._layer_indices(indices):
                overrides[i].update(cfg)
        return overrides

    def _layer_indices(self, indices: Optional[Sequence[int]]) -> List[int]:
        """Checked, non-negative layer indices (all layers for None)."""
        L = self.num_layers
        if indices is None:
            return list(range(L))
        if isinstance(indices, int):
            indices = [indices]
        checked = []
        for index in indices:
            if not -L <= index < L:
                raise ValueError(
                    f'layer_cfgs: layers: this ViT has {L} layers, indexed '
                    f'0..{L - 1} (or -{L}..-1), got {index}.')
            checked.append(index % L)
        if len(set(checked)) != len(checked):
            raise ValueError(f'layer_cfgs: layers names a layer twice: '
                             f'{list(indices)}.')
        return checked

    def _layer_cfg(self, override: dict, drop_path_rate: float,
                   **kwargs) -> dict:
        """The config of one layer: the ViT's sizes and ``override``."""
        cfg = dict(
            type='VideoTransformerLayer',
            embed_dims=self.embed_dims,
            num_heads=self.num_heads,
            feedforward_channels=self.arch_settings['feedforward_channels'],
            drop_path_rate=drop_path_rate,
            **kwargs)
        cfg.update(copy.deepcopy(override))
        layer_type = cfg['type']
        if isinstance(layer_type, str):
            layer_type = MODELS.get(layer_type)
        if getattr(layer_type, 'takes_num_frames', False):
            cfg.setdefault('num_frames', self.num_frames)
        return cfg

    def _build_temporal_layers(self, num: int, drop_path_rate: float,
                               layer_kwargs: dict) -> None:
        if not 0 <= num <= self.num_layers:
            raise ValueError(
                f'temporal_layers are initialised from the last spatial '
                f'layers: 0..{self.num_layers} for this {self.num_layers}-'
                f'layer ViT, got {num}.')
        self.temporal_layers = ModuleList(
            MODELS.build(
                self._layer_cfg(
                    dict(type='TemporalTransformerLayer'), drop_path_rate, **
                    layer_kwargs)) for _ in range(num))
        if num:
            self.temporal_pos_embed = nn.Parameter(
                torch.zeros(1, self.num_frames, 1, self.embed_dims))
            self.temporal_ln = build_norm_layer(layer_kwargs['norm_cfg'],
                                                self.embed_dims)
            self._register_load_state_dict_pre_hook(
                self._init_temporal_from_spatial)

    def _temporal_init_layers(self, num: int,
                              init_layers: Optional[Sequence[int]]
                              ) -> List[int]:
        """Checked spatial layers that initialise the temporal blocks."""
        if init_layers is None:
            return list(range(self.num_layers - num, self.num_layers))
        if len(init_layers) != num:
            raise ValueError(
                f'temporal_init_layers names one spatial layer per temporal '
                f'block: {num} for temporal_layers={num}, got '
                f'{list(init_layers)}.')
        L = self.num_layers
        for index in init_layers:
            if not -L <= index < L:
                raise ValueError(
                    f'temporal_init_layers: this ViT has {L} layers, indexed '
                    f'0..{L - 1} (or -{L}..-1), got {index}.')
        return [index % L for index in init_layers]

    def _build_global_uniblocks(self, global_uniblocks: dict) -> None:
        if self.out_type != 'cls_mean':
            raise ValueError("global_uniblocks output a video feature: "
                             "they need out_type='cls_mean'.")
        if len(self.temporal_layers):
            raise ValueError('global_uniblocks read the spatial blocks and '
                             'exclude temporal_layers; set one of them.')
        cfg = dict(
            type='GlobalUniBlocks',
            embed_dims=self.embed_dims,
            num_heads=self.num_heads)
        cfg.update(global_uniblocks)
        self.global_uniblocks = MODELS.build(cfg)
        if self.global_uniblocks.num_layers > self.num_layers:
            raise ValueError(
                f'{self.global_uniblocks.num_layers} global UniBlocks '
                f'read more blocks than this {self.num_layers}-layer ViT '
                f'has.')

    def select(self, head: str) -> list:
        """Spec selectors (see ``trainable``): a layer type's layers,
        ``'adapters'``, or an attribute."""
        if head == 'adapters':
            return [
                getattr(layer, name) for layer in self.layers
                for name in getattr(layer, 'adapters', ())
                if getattr(layer, name, None) is not None
            ]
        of_type = [
            layer for layer in self.layers if type(layer).__name__ == head
        ]
        return of_type or super().select(head)

    def init_weights(self):
        """Initialise; [CLS] and position embedding unless pre-trained."""
        super().init_weights()
        if not (isinstance(self.init_cfg, dict)
                and self.init_cfg['type'] == 'Pretrained'):
            trunc_normal_(self.pos_embed, std=0.02)
            trunc_normal_(self.cls_token, std=0.02)

    def _prepare_pos_embed(self, state_dict, prefix, *args, **kwargs):
        """Resize a checkpoint's position embedding to this resolution."""
        name = prefix + 'pos_embed'
        if name not in state_dict or \
                state_dict[name].shape == self.pos_embed.shape:
            return
        src_len = state_dict[name].shape[1] - self.num_extra_tokens
        src_side = int(round(src_len**0.5))
        MMLogger.get_current_instance().info(
            f'Resize pos_embed from {tuple(state_dict[name].shape)} to '
            f'{tuple(self.pos_embed.shape)}.')
        state_dict[name] = resize_pos_embed(state_dict[name],
                                            (src_side, src_side),
                                            self.patch_resolution,
                                            self.interpolate_mode,
                                            self.num_extra_tokens)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Patch, [CLS] and position embedding of every frame.

        Args:
            x (Tensor): Clips of shape (B, C, T, H, W).

        Returns:
            Tensor: Tokens of shape (B, T, 1 + H/p * W/p, C).
        """
        B, _, T = x.shape[:3]
        # (B, C, T, H, W) -> (B*T, C, H, W) -> (B*T, N-1, C)
        x, hw = self.patch_embed(x.transpose(1, 2).flatten(0, 1))
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + resize_pos_embed(self.pos_embed, self.patch_resolution, hw,
                                 self.interpolate_mode, self.num_extra_tokens)
        x = self.pre_norm(self.drop_after_pos(x))
        return x.unflatten(0, (B, T))  # (B, T, N, C)

    def _init_temporal_from_spatial(self, state_dict, prefix, *args, **kwargs):
        """Fill the temporal blocks and norm of an image checkpoint from the
        spatial layers of ``temporal_init_layers`` and the final norm (keys
        the checkpoint lacks)."""
        sources = {'temporal_ln.': 'ln1.'}
        sources.update({
            f'temporal_layers.{i}.': f'layers.{src}.'
            for i, src in enumerate(self.temporal_init_layers)
        })
        for name, src in sources.items():
            for key in list(state_dict):
                if key.startswith(prefix + src):
                    new_key = prefix + name + key[len(prefix + src):]
                    state_dict.setdefault(new_key, state_dict[key].clone())
        state_dict.setdefault(prefix + 'temporal_pos_embed',
                              torch.zeros_like(self.temporal_pos_embed))

    def _run(
        self, module: nn.Module, x: torch.Tensor, layout: Optional[TokenLayout]
    ) -> Tuple[torch.Tensor, Optional[TokenLayout]]:
        """``x = module(x)``, or ``x, layout = module(x, layout)`` for a
        token reducer (``needs_size = True``; the unreduced layout at the
        first), with gradient checkpointing if set."""
        args = (x, )
        if getattr(module, 'needs_size', False):
            args = (x, TokenLayout.initial(x) if layout is None else layout)
        if self.with_cp and self.training and x.requires_grad:
            out = checkpoint(module, *args, use_reentrant=False)
        else:
            out = module(*args)
        return out if len(args) == 2 else (out, layout)

    def forward_blocks(
        self, x: torch.Tensor
    ) -> Tuple[torch.Tensor, List[torch.Tensor], List[bool]]:
        """All blocks, with the modules inserted between them.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C).

        Returns:
            tuple: Tokens (B, T', N', C) after the final norm (if any), with
            T' and N' reduced by any compression module; the outputs of the
            blocks the global UniBlocks read (empty without them); for each of
            those, whether its patch tokens are still the patch grid (not
            after a token reducer).
        """
        num_kept = (
            self.global_uniblocks.num_layers
            if self.global_uniblocks is not None else 0)
        num_tokens = x.shape[2]
        layout = None  # of the reduced tokens, once a token reducer needs it
        feats, is_grid = [], []
        for i, layer in enumerate(self.layers):
            x, layout = self._run(layer, x, layout)
            if str(i + 1) in self.between_blocks:
                # e.g. (B, T, N, C) -> (B, T/2, N, C) or (B, T, N', C)
                x, layout = self._run(self.between_blocks[str(i + 1)], x,
                                      layout)
            if i >= self.num_layers - num_kept:
                feats.append(x)
                # reducers only remove tokens: as many means the grid
                is_grid.append(x.shape[2] == num_tokens)
        return (self.ln1(x) if self.final_norm else x), feats, is_grid

    def forward_temporal(self, x: torch.Tensor) -> torch.Tensor:
        """The temporal blocks and their norm on (B, T, N, C) tokens."""
        if x.shape[1] != self.num_frames:
            raise ValueError(
                f'The temporal position embedding was built for num_frames='
                f'{self.num_frames}, got clips of {x.shape[1]} frames.')
        x = x + self.temporal_pos_embed
        for layer in self.temporal_layers:
            x = layer(x)
        return self.temporal_ln(x)

    def format_output(self, x: torch.Tensor) -> torch.Tensor:
        """Select the output of ``out_type``.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C) after the final norm.

        Returns:
            Tensor: See ``out_type``.
        """
        if self.out_type == 'raw':
            return x
        if self.out_type == 'cls':
            return x[:, :, 0]
        return x[:, :, 0].mean(dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode clips.

        Args:
            x (Tensor): Clips of shape (B, C, T, H, W).

        Returns:
            Tensor: See ``out_type``.
        """
        x, feats, is_grid = self.forward_blocks(self.embed(x))
        if len(self.temporal_layers):
            x = self.forward_temporal(x)
        out = self.format_output(x)
        if self.global_uniblocks is not None:
            out = self.global_uniblocks(feats, out, is_grid)
        return out
