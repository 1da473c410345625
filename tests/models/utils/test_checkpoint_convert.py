# Copyright (c) mmvidlm authors. All rights reserved.
"""Upstream checkpoints, converted, give the same features in VideoViT."""
import pytest
import torch
import torch.nn as nn

from mmvidlm.models import VideoViT
from mmvidlm.models.utils import (convert_state_dict, detect_layout,
                                  load_pretrained)

TINY = dict(embed_dims=64, num_layers=2, num_heads=4, feedforward_channels=256)
CLIP_VIT = dict(
    arch=TINY,
    img_size=32,
    patch_size=8,
    num_frames=2,
    pre_norm=True,
    act_cfg=dict(type='mmpretrain.QuickGELU'),
    norm_cfg=dict(type='LN', eps=1e-5),
    out_type='raw')
BLIP_VIT = dict(
    CLIP_VIT,
    pre_norm=False,
    act_cfg=dict(type='GELU'),
    norm_cfg=dict(type='LN', eps=1e-6))
TOL = dict(atol=1e-5, rtol=1e-5)


def clips() -> torch.Tensor:
    """(B, C, T, H, W) = (2, 3, 2, 32, 32) random clips."""
    return torch.randn(
        2, 3, 2, 32, 32, generator=torch.Generator().manual_seed(1))


def frames(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(1, 2).flatten(0, 1)  # (B*T, C, H, W)


def video_vit(cfg: dict, state_dict: dict) -> VideoViT:
    """A VideoViT loaded (through the checkpoint loader) from a file."""
    model = VideoViT(**cfg).eval()
    missing, _ = load_pretrained(model, state_dict)
    assert missing == []
    return model


def save(tmp_path, state_dict, name='ckpt.pth') -> str:
    path = str(tmp_path / name)
    torch.save(state_dict, path)
    return path


def test_openai_clip(tmp_path, openai_clip):
    state_dict = openai_clip.state_dict()
    assert detect_layout(state_dict) == 'openai_clip'
    model = video_vit(CLIP_VIT, save(tmp_path, state_dict))
    x = clips()
    with torch.no_grad():
        tokens, embedding = openai_clip.visual(frames(x))
        out = model(x).flatten(0, 1)  # (B*T, N, C)
    torch.testing.assert_close(out, tokens, **TOL)
    # CLIP's image projection is kept as a component, not dropped.
    converted, _ = convert_state_dict(state_dict)
    torch.testing.assert_close(out[:, 0] @ converted['visual_proj.proj'],
                               embedding, **TOL)


def test_openai_clip_half_precision_and_other_resolution(
        tmp_path, openai_clip):
    """OpenAI publishes fp16 weights; another resolution resizes pos_embed."""
    state_dict = {k: v.half() for k, v in openai_clip.state_dict().items()}
    model = VideoViT(**dict(CLIP_VIT, img_size=48)).eval()
    load_pretrained(model, save(tmp_path, state_dict))
    assert model.pos_embed.shape == (1, 37, 64)
    assert model.layers[0].attn.qkv.weight.dtype == torch.float32
    torch.testing.assert_close(
        model.layers[1].ffn.layers[1].weight,
        state_dict['visual.transformer.resblocks.1.mlp.c_proj.weight'].float())
    assert model(torch.randn(1, 3, 2, 48, 48)).shape == (1, 2, 37, 64)


def test_hf_clip(tmp_path, randomize_norms):
    transformers = pytest.importorskip('transformers')
    config = transformers.CLIPVisionConfig(
        hidden_size=64,
        intermediate_size=256,
        num_hidden_layers=2,
        num_attention_heads=4,
        image_size=32,
        patch_size=8,
        projection_dim=32,
        hidden_act='quick_gelu',
        layer_norm_eps=1e-5)
    torch.manual_seed(0)
    hf = transformers.CLIPVisionModelWithProjection(config).eval()
    randomize_norms(hf)
    state_dict = hf.state_dict()
    assert detect_layout(state_dict) == 'hf_clip'
    model = video_vit(CLIP_VIT, save(tmp_path, state_dict))
    x = clips()
    with torch.no_grad():
        ref = hf(pixel_values=frames(x), output_hidden_states=True)
        out = model(x).flatten(0, 1)
        # HF applies post_layernorm to the [CLS] token only.
        tokens = hf.vision_model.post_layernorm(ref.last_hidden_state)
    torch.testing.assert_close(out, tokens, **TOL)
    converted, _ = convert_state_dict(state_dict)
    torch.testing.assert_close(out[:, 0] @ converted['visual_proj.proj'],
                               ref.image_embeds, **TOL)


def test_salesforce_blip(tmp_path, salesforce_blip):
    # Salesforce checkpoints wrap the weights in checkpoint['model'].
    checkpoint = dict(model=salesforce_blip.state_dict(), epoch=0)
    assert detect_layout(checkpoint['model']) == 'salesforce_blip'
    model = video_vit(BLIP_VIT, save(tmp_path, checkpoint))
    x = clips()
    with torch.no_grad():
        ref = salesforce_blip(frames(x))
        out = model(x).flatten(0, 1)
    torch.testing.assert_close(out, ref, **TOL)


def test_hf_blip(tmp_path, randomize_norms):
    """BlipForConditionalGeneration: the ViT and the text decoder."""
    transformers = pytest.importorskip('transformers')
    from mmpretrain.models.multimodal.blip.language_model import \
        XBertLMHeadDecoder
    vision = dict(
        hidden_size=64,
        intermediate_size=256,
        num_hidden_layers=2,
        num_attention_heads=4,
        image_size=32,
        patch_size=8,
        hidden_act='gelu',
        layer_norm_eps=1e-6)
    text = dict(
        vocab_size=100,
        hidden_size=64,
        encoder_hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=32)
    torch.manual_seed(0)
    hf = transformers.BlipForConditionalGeneration(
        transformers.BlipConfig(vision_config=vision,
                                text_config=text)).eval()
    randomize_norms(hf)
    # BLIP ties its LM head to the word embeddings (a fresh HF model does
    # not; the published checkpoints hold equal tensors).
    decoder = hf.text_decoder
    decoder.cls.predictions.decoder.weight.data.copy_(
        decoder.bert.embeddings.word_embeddings.weight)
    state_dict = hf.state_dict()
    assert detect_layout(state_dict) == 'hf_blip'

    class Captioner(nn.Module):  # MMPretrain's BlipCaption names

        def __init__(self):
            super().__init__()
            self.backbone = VideoViT(**BLIP_VIT)
            self.seq_gen_head = nn.Module()
            self.seq_gen_head.decoder = XBertLMHeadDecoder(
                dict(
                    text,
                    encoder_width=64,
                    add_cross_attention=True,
                    layer_norm_eps=1e-12,
                    hidden_act='gelu',
                    pad_token_id=0,
                    add_type_embeddings=False))

    model = Captioner().eval()
    missing, unexpected = load_pretrained(
        model, save(tmp_path, state_dict), logger=None)
    assert [k for k in missing if not k.endswith('position_ids')] == []
    assert [k for k in unexpected if not k.endswith('position_ids')] == []
    x = clips()
    ids = torch.randint(1, 100, (4, 6), generator=torch.Generator())
    with torch.no_grad():
        ref = hf.vision_model(pixel_values=frames(x)).last_hidden_state
        out = model.backbone(x).flatten(0, 1)
        ref_logits = hf.text_decoder(
            input_ids=ids, encoder_hidden_states=ref).logits
        logits = model.seq_gen_head.decoder(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            encoder_hidden_states=out,
            return_logits=True)
    torch.testing.assert_close(out, ref, **TOL)
    torch.testing.assert_close(logits, ref_logits[:, :-1], **TOL)

    # A bare BlipVisionModel (no ``vision_model.`` prefix) converts too.
    bare = {
        k[len('vision_model.'):]: v
        for k, v in state_dict.items() if k.startswith('vision_model.')
    }
    model = video_vit(BLIP_VIT, save(tmp_path, bare, 'vision.pth'))
    with torch.no_grad():
        torch.testing.assert_close(model(x).flatten(0, 1), ref, **TOL)


def test_report_and_new_modules_keep_their_init(tmp_path, openai_clip, caplog):
    """Unused upstream tensors are reported; modules the checkpoint lacks
    keep the values their own init gave them."""

    class Recognizer(nn.Module):

        def __init__(self):
            super().__init__()
            self.backbone = VideoViT(**CLIP_VIT)
            self.temporal = nn.Linear(64, 64)  # a new module
            nn.init.eye_(self.temporal.weight)
            nn.init.zeros_(self.temporal.bias)

    model = Recognizer()
    missing, unexpected = load_pretrained(
        model, save(tmp_path, openai_clip.state_dict()), logger=None)
    assert missing == ['temporal.weight', 'temporal.bias']
    assert set(unexpected) == {
        'visual_proj.proj', 'token_embedding.weight', 'logit_scale'
    }
    torch.testing.assert_close(model.temporal.weight, torch.eye(64))
    torch.testing.assert_close(model.backbone.cls_token.flatten(),
                               openai_clip.visual.class_embedding)


def test_blip_components_placed_by_model_names(tmp_path, salesforce_blip):
    """BLIP's parts go where MMPretrain-style models keep them; momentum
    encoders and queues the model lacks are reported unused."""

    class Retriever(nn.Module):

        def __init__(self):
            super().__init__()
            self.backbone = VideoViT(**BLIP_VIT)
            self.vision_neck = nn.Linear(64, 16)
            self.text_neck = nn.Linear(64, 16)
            self.multimodal_head = nn.Module()
            self.multimodal_head.fc = nn.Linear(64, 2)
            self.temp = nn.Parameter(torch.tensor(1.0))

    model = Retriever()
    missing, unexpected = load_pretrained(
        model, save(tmp_path, salesforce_blip.state_dict()), logger=None)
    assert missing == []
    assert 'queue.video_queue' in unexpected  # BLIP's image_queue
    assert all(
        k.startswith('visual_m.') for k in unexpected
        if k != 'queue.video_queue')
    torch.testing.assert_close(model.vision_neck.weight,
                               salesforce_blip.vision_proj.weight)
    torch.testing.assert_close(model.multimodal_head.fc.bias,
                               salesforce_blip.itm_head.bias)
    torch.testing.assert_close(model.temp, salesforce_blip.temp)
    # The same file into the bare ViT: the visual part only.
    vit = VideoViT(**BLIP_VIT)
    assert load_pretrained(
        vit, save(tmp_path, salesforce_blip.state_dict()),
        logger=None)[0] == []


def test_shape_mismatch_is_reported_not_loaded(tmp_path, salesforce_blip):
    """A captioner's own visual projection (C -> C) is not BLIP's ITC
    projection (C -> 256): it keeps its init, the rest loads."""

    class Captioner(nn.Module):

        def __init__(self):
            super().__init__()
            self.backbone = VideoViT(**BLIP_VIT)
            self.vision_proj = nn.Linear(64, 64)
            nn.init.eye_(self.vision_proj.weight)

    model = Captioner()
    load_pretrained(
        model, save(tmp_path, salesforce_blip.state_dict()), logger=None)
    torch.testing.assert_close(model.vision_proj.weight, torch.eye(64))
    torch.testing.assert_close(model.backbone.pos_embed,
                               salesforce_blip.visual_encoder.pos_embed)


def test_hf_qkv_parts_must_be_complete():
    state_dict = {
        'vision_model.pre_layrnorm.weight': torch.ones(4),
        'vision_model.encoder.layers.0.self_attn.q_proj.weight':
        torch.ones(4, 4),
    }
    with pytest.raises(ValueError, match='q, k and v'):
        convert_state_dict(state_dict)


def test_load_hooks_of_new_layers_run(tmp_path, salesforce_blip):
    """Dual-channel attention copies the spatial attention into its temporal
    one for keys a checkpoint lacks; that happens through this loader too."""
    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    model = MODELS.build(
        dict(
            BLIP_VIT,
            type='VideoViT',
            layer_cfgs=dict(type='DualAttentionLayer')))
    missing, _ = load_pretrained(
        model, save(tmp_path, salesforce_blip.state_dict()), logger=None)
    assert missing == []
    qkv = salesforce_blip.visual_encoder.blocks[1].attn.qkv.weight
    torch.testing.assert_close(model.layers[1].attn.qkv.weight, qkv)
    torch.testing.assert_close(model.layers[1].temporal_attn.qkv.weight, qkv)
