# Copyright (c) mmvidlm authors. All rights reserved.
"""tools/model_converters: upstream checkpoints -> mmvidlm keys."""
import importlib.util
import os.path as osp

import pytest
import torch

from mmvidlm.models import VideoViT
from mmvidlm.models.utils import load_pretrained

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
_spec = importlib.util.spec_from_file_location(
    'blip2mmvidlm',
    osp.join(REPO_ROOT, 'tools', 'model_converters', 'blip2mmvidlm.py'))
blip2mmvidlm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(blip2mmvidlm)

transformers = pytest.importorskip('transformers')

TINY = dict(
    hidden_size=64,
    intermediate_size=256,
    num_hidden_layers=2,
    num_attention_heads=4,
    image_size=32,
    patch_size=8)
VIT = dict(
    arch=dict(
        embed_dims=64, num_layers=2, num_heads=4, feedforward_channels=256),
    img_size=32,
    patch_size=8)


def test_clip2mmvidlm(tmp_path, run_tool):
    torch.manual_seed(0)
    hf = transformers.CLIPVisionModelWithProjection(
        transformers.CLIPVisionConfig(projection_dim=32, **TINY))
    src, dst = tmp_path / 'hf_clip.bin', tmp_path / 'out' / 'clip.pth'
    torch.save(hf.state_dict(), src)
    proc = run_tool('model_converters/clip2mmvidlm.py', src, dst)
    assert 'Hugging Face CLIP layout' in proc.stdout
    converted = torch.load(dst, weights_only=True)
    torch.testing.assert_close(
        converted['visual.layers.1.attn.proj.weight'],
        hf.vision_model.encoder.layers[1].self_attn.out_proj.weight)
    assert converted['visual_proj.proj'].shape == (64, 32)
    # The converted file initialises the ViT completely.
    assert load_pretrained(VideoViT(**VIT), str(dst), logger=None)[0] == []


def test_blip2mmvidlm(tmp_path, capsys):
    """In-process (the script's ``main``): a tool subprocess costs seconds
    of imports."""
    torch.manual_seed(0)
    hf = transformers.BlipForConditionalGeneration(
        transformers.BlipConfig(
            vision_config=TINY,
            text_config=dict(
                vocab_size=100,
                hidden_size=64,
                encoder_hidden_size=64,
                intermediate_size=128,
                num_hidden_layers=1,
                num_attention_heads=4)))
    src, dst = tmp_path / 'hf_blip.bin', tmp_path / 'blip.pth'
    torch.save(hf.state_dict(), src)
    blip2mmvidlm.main([str(src), str(dst)])
    assert 'Hugging Face BLIP layout' in capsys.readouterr().out
    converted = torch.load(dst, weights_only=True)
    assert {k.split('.')[0] for k in converted} == {'visual', 'text_decoder'}
    torch.testing.assert_close(
        converted['visual.layers.0.attn.qkv.weight'],
        hf.vision_model.encoder.layers[0].self_attn.qkv.weight)
    vit = VideoViT(**VIT, pre_norm=False, act_cfg=dict(type='GELU'))
    assert load_pretrained(vit, str(dst), logger=None)[0] == []


def test_wrong_family_is_refused(tmp_path, capsys):
    hf = transformers.CLIPVisionModel(transformers.CLIPVisionConfig(**TINY))
    src = tmp_path / 'hf_clip.bin'
    torch.save(hf.state_dict(), src)
    with pytest.raises(SystemExit):
        blip2mmvidlm.main([str(src), str(tmp_path / 'x.pth')])
    assert 'Hugging Face CLIP layout' in capsys.readouterr().err
    assert not (tmp_path / 'x.pth').exists()


def test_library_has_no_command_line():
    """The converter's command line lives in tools/, not in the package."""
    import mmvidlm.models.utils.pretrained as pretrained
    with open(pretrained.__file__) as f:
        assert 'argparse' not in f.read()
