# Copyright (c) mmvidlm authors. All rights reserved.
"""Key layouts of upstream image-language checkpoints and their conversion.

One table per upstream layout maps its keys to mmvidlm's *converted layout*,
in which every part of the model sits under one component prefix:

==================  =====================================================
``visual.``         the image ViT, with :class:`VideoViT`'s (= MMPretrain
                    ``VisionTransformer``'s) parameter names
``visual_proj.``    CLIP's image-text projection (``proj``: (C, D))
``text_encoder.``   BLIP's BERT text encoder (MMPretrain ``XBertEncoder``)
``text_decoder.``   BLIP's BERT text decoder (``bert.*``, ``cls.*``;
                    MMPretrain ``XBertLMHeadDecoder``)
``vision_proj.``,   BLIP's contrastive projections, ITM head and
``text_proj.``,     temperature
``itm_head.``,
``temp``
``*_m.``            BLIP's momentum copies of the above
``queue.``          BLIP's feature queue, with the buffer names of
                    mmvidlm's ``FeatureQueue`` (``video_queue``,
                    ``text_queue``, ``idx_queue``, ``ptr_queue``)
==================  =====================================================

BLIP's text modules already use MMPretrain's names (MMPretrain's
``language_model.py`` is BLIP's ``med.py``), so only their top-level prefix
changes. Keys no table knows (CLIP's text tower, ...) are kept as they are,
so that loading reports them instead of dropping them.
:func:`mmvidlm.models.utils.place_components` puts each component where a
given model keeps it (``backbone.``, ``visual_encoder.``, ...).
"""
import re
from collections import OrderedDict
from typing import Callable, Dict, NamedTuple, Optional, Sequence, Tuple

import torch

#: The checkpoint layout mmvidlm's own models and the converters write.
NATIVE_LAYOUT = 'mmvidlm'


class KeyRule(NamedTuple):
    """One key mapping: ``re.sub(pattern, target, key)`` on a full match.

    ``transform`` reshapes the value; ``part`` (0, 1, 2) marks the q, k or v
    slice of a fused ``qkv`` tensor, concatenated in that order.
    """
    pattern: str
    target: str
    transform: Optional[Callable[[torch.Tensor], torch.Tensor]] = None
    part: Optional[int] = None


class KeyLayout(NamedTuple):
    """An upstream checkpoint layout.

    Args:
        name (str): Human-readable name used in reports.
        signature (str): A regex that some key of every checkpoint in this
            layout matches (and no key of the other layouts).
        rules (Sequence[KeyRule]): The key mapping, first match wins.
        family (str): ``'clip'`` or ``'blip'``.
    """
    name: str
    signature: str
    rules: Sequence[KeyRule]
    family: str


def _cls_token(v: torch.Tensor) -> torch.Tensor:
    return v.reshape(1, 1, -1)  # (C,) -> (1, 1, C)


def _pos_embed(v: torch.Tensor) -> torch.Tensor:
    return v.unsqueeze(0)  # (N, C) -> (1, N, C)


def _transpose(v: torch.Tensor) -> torch.Tensor:
    return v.t()  # nn.Linear (D, C) -> CLIP's projection matrix (C, D)


def _conv3d_to_2d(v: torch.Tensor) -> torch.Tensor:
    # UniFormerV2's patch embedding (C, 3, t, p, p) -> (C, 3, p, p); summed
    # over t: the same response on a static clip (t = 1 by default).
    return v.sum(2) if v.ndim == 5 else v


def _vit_layer_rules(src: str, dst: str, names: Dict[str, str]) -> list:
    """Rules ``{src}.N.{name}.(weight|bias)`` -> ``{dst}.N.{names[name]}.*``.

    ``src`` is a regex and ``dst`` a replacement: a group of ``src`` is
    referred to in ``dst`` by number (``\\1``).
    """
    return [
        KeyRule(
            rf'{src}\.(?P<layer>\d+)\.{re.escape(name)}\.'
            r'(?P<param>weight|bias)', rf'{dst}.\g<layer>.{target}.\g<param>')
        for name, target in names.items()
    ]


def _openai_clip_rules(src: str, conv_transform=None) -> list:
    """Rules of OpenAI's ``VisionTransformer`` under the prefix ``src`` (a
    regex without groups)."""
    return [
        KeyRule(rf'{src}conv1\.weight', 'visual.patch_embed.projection.weight',
                conv_transform),
        KeyRule(rf'{src}class_embedding', 'visual.cls_token', _cls_token),
        KeyRule(rf'{src}positional_embedding', 'visual.pos_embed', _pos_embed),
        KeyRule(rf'{src}ln_pre\.(weight|bias)', r'visual.pre_norm.\1'),
        KeyRule(
            rf'{src}transformer\.resblocks\.(\d+)\.attn\.'
            r'in_proj_(weight|bias)', r'visual.layers.\1.attn.qkv.\2'),
        *_vit_layer_rules(
            rf'{src}transformer\.resblocks', 'visual.layers', {
                'ln_1': 'ln1',
                'attn.out_proj': 'attn.proj',
                'ln_2': 'ln2',
                'mlp.c_fc': 'ffn.layers.0.0',
                'mlp.c_proj': 'ffn.layers.1',
            }),
        KeyRule(rf'{src}ln_post\.(weight|bias)', r'visual.ln1.\1'),
        KeyRule(rf'{src}proj', 'visual_proj.proj'),
    ]


# OpenAI CLIP (``clip/model.py``; the ``.pt`` files are TorchScript).
OPENAI_CLIP = KeyLayout(
    name='OpenAI CLIP',
    signature=r'visual\.transformer\.resblocks\.\d+\.attn\.in_proj_weight',
    family='clip',
    rules=_openai_clip_rules(r'visual\.'))

# Hugging Face ``CLIPModel`` / ``CLIPVisionModel(WithProjection)``.
HF_CLIP = KeyLayout(
    name='Hugging Face CLIP',
    signature=r'vision_model\.pre_layrnorm\.weight',  # (sic)
    family='clip',
    rules=[
        KeyRule(r'vision_model\.embeddings\.patch_embedding\.weight',
                'visual.patch_embed.projection.weight'),
        KeyRule(r'vision_model\.embeddings\.class_embedding',
                'visual.cls_token', _cls_token),
        KeyRule(r'vision_model\.embeddings\.position_embedding\.weight',
                'visual.pos_embed', _pos_embed),
        KeyRule(r'vision_model\.pre_layrnorm\.(weight|bias)',
                r'visual.pre_norm.\1'),
        *(KeyRule(
            rf'vision_model\.encoder\.layers\.(\d+)\.self_attn\.'
            rf'{name}_proj\.(weight|bias)',
            r'visual.layers.\1.attn.qkv.\2',
            part=i) for i, name in enumerate('qkv')),
        *_vit_layer_rules(
            r'vision_model\.encoder\.layers', 'visual.layers', {
                'layer_norm1': 'ln1',
                'self_attn.out_proj': 'attn.proj',
                'layer_norm2': 'ln2',
                'mlp.fc1': 'ffn.layers.0.0',
                'mlp.fc2': 'ffn.layers.1',
            }),
        KeyRule(r'vision_model\.post_layernorm\.(weight|bias)',
                r'visual.ln1.\1'),
        KeyRule(r'visual_projection\.weight', 'visual_proj.proj', _transpose),
    ])

# BLIP's feature queue (``image_queue`` ... ``ptr_queue`` of Salesforce's and
# LAVIS' retrieval models, under ``head.`` in MMPretrain's ``ITCHead``, whose
# pointer is ``queue_ptr``) -> mmvidlm's ``FeatureQueue`` buffers.
_QUEUE_RULES = [
    KeyRule(r'(?:head\.)?image_queue', 'queue.video_queue'),
    KeyRule(r'(?:head\.)?(text|idx)_queue', r'queue.\1_queue'),
    KeyRule(r'(?:head\.queue_ptr|ptr_queue)', 'queue.ptr_queue'),
]

# Salesforce BLIP (``models/blip*.py``; weights under ``checkpoint['model']``).
SALESFORCE_BLIP = KeyLayout(
    name='Salesforce BLIP',
    signature=r'visual_encoder\.blocks\.\d+\.attn\.qkv\.weight',
    family='blip',
    rules=[
        KeyRule(r'visual_encoder(_m)?\.patch_embed\.proj\.(weight|bias)',
                r'visual\1.patch_embed.projection.\2'),
        KeyRule(r'visual_encoder(_m)?\.cls_token', r'visual\1.cls_token'),
        KeyRule(r'visual_encoder(_m)?\.pos_embed', r'visual\1.pos_embed'),
        *_vit_layer_rules(
            r'visual_encoder(_m)?\.blocks', r'visual\1.layers', {
                'norm1': 'ln1',
                'attn.qkv': 'attn.qkv',
                'attn.proj': 'attn.proj',
                'norm2': 'ln2',
                'mlp.fc1': 'ffn.layers.0.0',
                'mlp.fc2': 'ffn.layers.1',
            }),
        KeyRule(r'visual_encoder(_m)?\.norm\.(weight|bias)',
                r'visual\1.ln1.\2'),
        *_QUEUE_RULES,
    ])

# Hugging Face ``BlipForConditionalGeneration`` /
# ``BlipForImageTextRetrieval`` / ``BlipModel`` (vision tower under
# ``vision_model.``) or ``BlipVisionModel`` (no ``vision_model.`` prefix).
_HF_BLIP_VISION = r'(?:vision_model\.)?'
HF_BLIP = KeyLayout(
    name='Hugging Face BLIP',
    signature=(rf'{_HF_BLIP_VISION}encoder\.layers\.\d+\.'
               r'self_attn\.qkv\.weight'),
    family='blip',
    rules=[
        KeyRule(
            rf'{_HF_BLIP_VISION}embeddings\.patch_embedding\.(weight|bias)',
            r'visual.patch_embed.projection.\1'),
        KeyRule(rf'{_HF_BLIP_VISION}embeddings\.class_embedding',
                'visual.cls_token'),
        KeyRule(rf'{_HF_BLIP_VISION}embeddings\.position_embedding',
                'visual.pos_embed'),
        *_vit_layer_rules(
            rf'{_HF_BLIP_VISION}encoder\.layers', 'visual.layers', {
                'layer_norm1': 'ln1',
                'self_attn.qkv': 'attn.qkv',
                'self_attn.projection': 'attn.proj',
                'layer_norm2': 'ln2',
                'mlp.fc1': 'ffn.layers.0.0',
                'mlp.fc2': 'ffn.layers.1',
            }),
        KeyRule(rf'{_HF_BLIP_VISION}post_layernorm\.(weight|bias)',
                r'visual.ln1.\1'),
        # BlipModel's text tower and projections (ITC only).
        KeyRule(r'text_model\.(.+)', r'text_encoder.\1'),
        KeyRule(r'visual_projection\.(.+)', r'vision_proj.\1'),
        KeyRule(r'text_projection\.(.+)', r'text_proj.\1'),
    ])

# MMPretrain's BLIP models: ``BlipCaption`` (``visual_encoder``,
# ``seq_gen_head``) and ``BlipRetrieval`` (``vision_backbone``,
# ``text_backbone``, ``vision_neck``, ``text_neck``, ``multimodal_head``,
# momentum copies ``*_m``, the queue in ``head``); the ViT is MMPretrain's,
# so names are kept.
MMPRETRAIN_BLIP = KeyLayout(
    name='MMPretrain BLIP',
    signature=(r'(?:visual_encoder|vision_backbone)\.layers\.\d+\.attn\.'
               r'qkv\.weight'),
    family='blip',
    rules=[
        KeyRule(r'(?:visual_encoder|vision_backbone)(_m)?\.(.+)',
                r'visual\1.\2'),
        KeyRule(r'seq_gen_head\.decoder\.(.+)', r'text_decoder.\1'),
        KeyRule(r'text_backbone(_m)?\.(.+)', r'text_encoder\1.\2'),
        KeyRule(r'vision_neck(_m)?\.(.+)', r'vision_proj\1.\2'),
        KeyRule(r'text_neck(_m)?\.(.+)', r'text_proj\1.\2'),
        KeyRule(r'multimodal_head\.fc\.(.+)', r'itm_head.\1'),
        *_QUEUE_RULES,
    ])

# MMAction2's UniFormerV2 (``backbone.*`` of a recogniser) and the CLIP
# visual encoders it starts from (``uniformerv2/clipVisualEncoder/*.pth``,
# no prefix): OpenAI's names. Its local and global temporal modules
# (``transformer.resblocks.N.lmhra*``, ``transformer.dec|dpe|...``) are
# not mapped and are reported as unused.
MMACTION_UNIFORMERV2 = KeyLayout(
    name='MMAction2 UniFormerV2',
    signature=(r'(?:backbone\.)?transformer\.resblocks\.\d+\.attn\.'
               r'in_proj_weight'),
    family='clip',
    rules=_openai_clip_rules(r'(?:backbone\.)?', _conv3d_to_2d))

# MMPretrain's ``ImageClassifier`` (``backbone.*``, e.g. its ViT and its CLIP
# ViT conversions) and MMAction2 recognisers with such a backbone (mmvidlm's
# own included): MMPretrain's ViT names, only the prefix changes.
MMPRETRAIN_VIT = KeyLayout(
    name='MMPretrain ViT (backbone.*)',
    signature=r'backbone\.layers\.\d+\.attn\.qkv\.weight',
    family='clip',
    rules=[KeyRule(r'backbone\.(.+)', r'visual.\1')])

#: Every layout the converters know, in detection order (OpenAI CLIP's
#: text tower has UniFormerV2's keys, so OpenAI CLIP comes first).
LAYOUTS: Dict[str, KeyLayout] = OrderedDict(
    openai_clip=OPENAI_CLIP,
    hf_clip=HF_CLIP,
    salesforce_blip=SALESFORCE_BLIP,
    hf_blip=HF_BLIP,
    mmpretrain_blip=MMPRETRAIN_BLIP,
    mmaction_uniformerv2=MMACTION_UNIFORMERV2,
    mmpretrain_vit=MMPRETRAIN_VIT,
)


def detect_layout(state_dict: Dict[str, torch.Tensor]) -> str:
    """Name the layout of a state dict.

    Args:
        state_dict (dict): Checkpoint weights.

    Returns:
        str: A key of :data:`LAYOUTS`, or :data:`NATIVE_LAYOUT` when no
        upstream layout's signature matches.
    """
    for name, layout in LAYOUTS.items():
        signature = re.compile(layout.signature)
        if any(signature.fullmatch(k) for k in state_dict):
            return name
    return NATIVE_LAYOUT


def convert_state_dict(state_dict: Dict[str, torch.Tensor],
                       layout: Optional[str] = None
                       ) -> Tuple['OrderedDict', str]:
    """Convert upstream weights to mmvidlm's converted layout.

    Half-precision tensors (OpenAI's checkpoints) are returned in float32.

    Args:
        state_dict (dict): Checkpoint weights in an upstream layout.
        layout (str, optional): A key of :data:`LAYOUTS`; detected when
            None. Native state dicts are returned unchanged.

    Returns:
        tuple[OrderedDict, str]: The converted weights and the layout name.
    """
    layout = layout or detect_layout(state_dict)
    if layout == NATIVE_LAYOUT:
        return OrderedDict(state_dict), layout
    if layout not in LAYOUTS:
        raise ValueError(f'Unknown checkpoint layout {layout!r}; choose '
                         f'from {list(LAYOUTS)}.')
    rules = [(re.compile(r.pattern), r) for r in LAYOUTS[layout].rules]
    converted, fused = OrderedDict(), {}
    for key, value in state_dict.items():
        if value.dtype == torch.float16:
            value = value.float()
        for pattern, rule in rules:
            if pattern.fullmatch(key):
                new_key = pattern.sub(rule.target, key)
                if rule.transform is not None:
                    value = rule.transform(value)
                break
        else:
            new_key, rule = key, None
        if rule is not None and rule.part is not None:
            fused.setdefault(new_key, {})[rule.part] = value
            converted[new_key] = None  # keeps the key's position
        else:
            converted[new_key] = value
    for key, parts in fused.items():
        if sorted(parts) != [0, 1, 2]:
            raise ValueError(f'{key}: the checkpoint lacks some of the q, k '
                             f'and v projections (has {sorted(parts)}).')
        converted[key] = torch.cat([parts[i] for i in range(3)], dim=0)
    return converted, layout
