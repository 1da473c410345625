# Copyright (c) mmvidlm authors. All rights reserved.
import copy
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmcv.cnn.bricks.transformer import PatchEmbed
from mmengine.logging import MMLogger
from mmengine.model import BaseModule, ModuleDict, ModuleList
from mmengine.model.weight_init import trunc_normal_
from mmpretrain.models.utils import build_norm_layer, resize_pos_embed
from torch.utils.checkpoint import checkpoint

from mmvidlm.registry import MODELS


@MODELS.register_module()
class VideoViT(BaseModule):
    """A CLIP/BLIP image ViT applied to the frames of a video.

    This is the "naive adaptation" of an image ViT to video (TSN-style): each
    frame goes through the image model independently and the [CLS] tokens
    are averaged over time. Parameter names follow MMPretrain's
    ``VisionTransformer`` (``patch_embed.projection``, ``cls_token``,
    ``pos_embed``, ``pre_norm``, ``layers.N.*``, ``ln1``), so converted CLIP
    and BLIP checkpoints load unchanged. Subclasses add temporal modelling by
    replacing layers (``layer_cfgs``) or inserting modules between blocks
    (``between_block_cfgs``); every layer and inserted module maps
    ``(B, T, N, C)`` tensors.

    Args:
        arch (str | dict): ViT size: ``'tiny'`` (tests and demos), ``'b'``
            or ``'l'``, or a dict with ``embed_dims``, ``num_layers``,
            ``num_heads`` and ``feedforward_channels``. Defaults to ``'b'``.
        num_frames (int): Frames per clip the model is configured for; used
            by subclasses to validate their temporal design. Defaults to 8.
        img_size (int): Input resolution. Defaults to 224.
        patch_size (int): Patch size (16 for ViT-B/16, 14 for ViT-L/14).
            Defaults to 16.
        in_channels (int): Input channels. Defaults to 3.
        drop_rate (float): Dropout after the position embedding and in the
            layers. Defaults to 0.
        drop_path_rate (float): Stochastic depth, linearly increasing over
            the layers. Defaults to 0.
        qkv_bias (bool): Bias of the qkv projection. Defaults to True.
        norm_cfg (dict): Normalisation layers. Defaults to LN with eps 1e-5
            (CLIP and BLIP).
        act_cfg (dict): FFN activation: MMPretrain's ``QuickGELU`` for
            OpenAI CLIP, ``GELU`` for BLIP. Defaults to
            ``dict(type='mmpretrain.QuickGELU')``.
        pre_norm (bool): LayerNorm before the first layer (CLIP's
            ``ln_pre``); also removes the patch-embedding bias, as in CLIP.
            Defaults to True.
        final_norm (bool): LayerNorm after the last layer. Defaults to True.
        out_type (str): ``'cls_mean'``: (B, C), the [CLS] tokens averaged
            over frames; ``'cls'``: (B, T, C); ``'raw'``: (B, T, N, C), all
            tokens. T and N are those after any compression. Defaults to
            ``'cls_mean'``.
        layer_cfgs (dict | Sequence[dict]): Per-layer overrides. A ``type``
            key picks a registered layer class (default
            ``VideoTransformerLayer``). Defaults to ``dict()``.
        between_block_cfgs (dict, optional): ``{k: cfg}`` builds a module
            inserted after block k (1-based, as papers count). Defaults to
            None.
        interpolate_mode (str): Position-embedding resize mode for another
            resolution. Defaults to ``'bicubic'``.
        with_cp (bool): Gradient checkpointing of every layer (saves memory
            when training). Defaults to False.
        init_cfg (dict | list[dict], optional): Initialisation, e.g.
            ``dict(type='Pretrained', checkpoint=URL, prefix='backbone.')``.
    """
    arch_zoo = {
        **dict.fromkeys(['tiny', 't'], {
            'embed_dims': 64,
            'num_layers': 4,
            'num_heads': 4,
            'feedforward_channels': 256
        }),
        **dict.fromkeys(['b', 'base'], {
            'embed_dims': 768,
            'num_layers': 12,
            'num_heads': 12,
            'feedforward_channels': 3072
        }),
        **dict.fromkeys(['l', 'large'], {
            'embed_dims': 1024,
            'num_layers': 24,
            'num_heads': 16,
            'feedforward_channels': 4096
        }),
    }
    num_extra_tokens = 1  # the [CLS] token
    OUT_TYPES = ('cls_mean', 'cls', 'raw')

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

        self.layers = ModuleList(
            MODELS.build(cfg) for cfg in self._layer_cfgs(
                layer_cfgs, drop_rate, drop_path_rate, qkv_bias, norm_cfg,
                act_cfg))
        self.final_norm = final_norm
        if final_norm:
            self.ln1 = build_norm_layer(norm_cfg, self.embed_dims)

        self.between_blocks = ModuleDict()
        for block, cfg in sorted((between_block_cfgs or {}).items()):
            if not 1 <= int(block) < self.num_layers:
                raise ValueError(
                    f'A module can be inserted after blocks 1..'
                    f'{self.num_layers - 1} of this {self.num_layers}-layer '
                    f'ViT, got block {block}.')
            self.between_blocks[str(block)] = MODELS.build(cfg)

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

    def _layer_cfgs(self, layer_cfgs, drop_rate, drop_path_rate, qkv_bias,
                    norm_cfg, act_cfg) -> list:
        if isinstance(layer_cfgs, dict):
            layer_cfgs = [layer_cfgs] * self.num_layers
        if len(layer_cfgs) != self.num_layers:
            raise ValueError(f'layer_cfgs has {len(layer_cfgs)} entries for '
                             f'{self.num_layers} layers.')
        dpr = torch.linspace(0, drop_path_rate, self.num_layers).tolist()
        cfgs = []
        for i, override in enumerate(layer_cfgs):
            cfg = dict(
                type='VideoTransformerLayer',
                embed_dims=self.embed_dims,
                num_heads=self.num_heads,
                feedforward_channels=self.arch_settings[
                    'feedforward_channels'],
                drop_rate=drop_rate,
                drop_path_rate=dpr[i],
                qkv_bias=qkv_bias,
                act_cfg=act_cfg,
                norm_cfg=norm_cfg)
            cfg.update(copy.deepcopy(override))
            cfgs.append(cfg)
        return cfgs

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

    def forward_layers(self, x: torch.Tensor) -> torch.Tensor:
        """All layers, with the modules inserted between blocks.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C).

        Returns:
            Tensor: (B, T', N', C) after the final norm, with T' and N'
            reduced by any compression module.
        """
        for i, layer in enumerate(self.layers):
            if self.with_cp and self.training and x.requires_grad:
                x = checkpoint(layer, x, use_reentrant=False)
            else:
                x = layer(x)
            if str(i + 1) in self.between_blocks:
                x = self.between_blocks[str(i + 1)](x)
        return self.ln1(x) if self.final_norm else x

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
        return self.format_output(self.forward_layers(self.embed(x)))
