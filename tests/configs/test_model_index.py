# Copyright (c) mmvidlm authors. All rights reserved.
"""The method index (``model-index.yml`` and ``configs/*/metafile.yml``):
every experiment config has one complete entry, every entry's config
builds, and the measured cost figures are the tools' measurements."""
import glob
import importlib.util
import os.path as osp
import shutil

import pytest
from mmengine.config import Config

from tests.conftest import REPO_ROOT


def load_tool(name: str):
    path = osp.join(REPO_ROOT, 'tools', 'analysis_tools', f'{name}.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


model_index = load_tool('model_index')
MODELS = model_index.load_models()
COLLECTIONS = model_index.load_collections()
EXPERIMENTS = sorted(
    osp.relpath(path, REPO_ROOT) for path in glob.glob(
        osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(path, REPO_ROOT).split(osp.sep))
#: Configs whose cost the test measures: the tiny ones and one ViT-B.
MEASURED = [
    m for m in MODELS
    if m['Metadata']['Resolution'] == '32x32' or m['Config'] in (
        'configs/inti/vit-b_k400.py',
        'configs/peft/adapter_blip-b_msvd-caption.py')
]


def test_the_index_imports_every_metafile():
    imported = {
        osp.relpath(path, REPO_ROOT)
        for path in model_index.metafiles()
    }
    on_disk = {
        osp.relpath(path, REPO_ROOT)
        for path in glob.glob(
            osp.join(REPO_ROOT, 'configs', '*', 'metafile.yml'))
    }
    assert imported == on_disk


def test_every_experiment_config_has_one_entry():
    configs = [model['Config'] for model in MODELS]
    assert sorted(configs) == EXPERIMENTS
    names = [model['Name'] for model in MODELS]
    assert len(set(names)) == len(names)
    for model in MODELS:  # an entry lives in its config's folder
        assert osp.dirname(model['metafile']) == osp.join(
            REPO_ROOT, 'configs', model['Config'].split('/')[1]), model['Name']


def test_entries_and_collections_are_complete():
    for name, collection in COLLECTIONS.items():
        if 'Paper' in collection:
            assert collection['Paper']['Title'], name
            assert collection['Paper']['URL'].startswith('https://'), name
        else:  # a method of this code base: no paper reports its results
            assert not any(
                m.get('Results')
                for m in MODELS if m['In Collection'] == name), name
        # the implementation in this repository
        assert osp.exists(osp.join(REPO_ROOT, collection['Code']['URL']))
    for model in MODELS:
        assert model['In Collection'] in COLLECTIONS, model['Name']
        meta = model['Metadata']
        assert isinstance(meta['FLOPs'], int) and meta['FLOPs'] > 0
        assert isinstance(meta['Parameters'], int)
        assert meta['Training Data']
        for result in model.get('Results') or []:
            assert result['Task'] and result['Dataset'] and result['Source']
            assert all(
                isinstance(v, (int, float))
                for v in result['Metrics'].values()), model['Name']


@pytest.mark.parametrize('model', MODELS, ids=lambda m: m['Name'])
def test_entry_config_builds(model):
    """The entry's config parses and its video encoder builds (32 wide, its
    depth and layer settings kept)."""
    from mmvidlm.models.backbones import VideoViT
    from mmvidlm.registry import MODELS as REGISTRY
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(osp.join(REPO_ROOT, model['Config']))
    assert model['Metadata']['Frames'] == cfg.model.backbone.num_frames
    backbone = cfg.model.backbone.to_dict()
    arch = backbone.get('arch', 'b')
    depth = (
        arch['num_layers']
        if isinstance(arch, dict) else VideoViT.arch_zoo[arch]['num_layers'])
    backbone.update(
        arch=dict(
            embed_dims=32,
            num_layers=depth,
            num_heads=2,
            feedforward_channels=64),
        init_cfg=None)
    assert REGISTRY.build(backbone).num_layers == depth


@pytest.mark.parametrize('model', MEASURED, ids=lambda m: m['Name'])
def test_cost_figures_are_measured(model):
    """FLOPs, parameters, updated parameters and initial weights are what
    model_zoo_table.py measures from the config today."""
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    zoo = load_tool('model_zoo_table')
    cfg = Config.fromfile(osp.join(REPO_ROOT, model['Config']))
    measured = zoo.measure(cfg)
    meta = model['Metadata']
    for key, value in measured.items():
        assert meta[key] == value, (model['Name'], key)
    assert ('Updated Parameters' in meta) == ('Updated Parameters' in measured)
    assert meta['Pretrained'] == zoo.initial_weights(cfg)


def test_update_metadata_rewrites_one_entry(tmp_path):
    path = str(tmp_path / 'metafile.yml')
    model = next(m for m in MODELS if m['Name'] == 'inti_vit-b_k400')
    shutil.copy(model['metafile'], path)
    model_index.update_metadata('inti_vit-b_k400', path, FLOPs=123)
    entries = {m['Name']: m for m in model_index._read_yaml(path)['Models']}
    assert entries['inti_vit-b_k400']['Metadata']['FLOPs'] == 123
    others = [m for m in MODELS if m['metafile'] == model['metafile']]
    for other in others:  # the rest of the file is kept
        if other['Name'] != 'inti_vit-b_k400':
            assert entries[other['Name']]['Metadata'] == other['Metadata']
    with pytest.raises(KeyError, match='no Metadata field'):
        model_index.update_metadata('inti_vit-b_k400', path, Weights=1)
    with pytest.raises(KeyError, match='no model named'):
        model_index.update_metadata('no-such-model', path, FLOPs=1)


def test_measure_rewrites_the_metafile(tmp_path):
    """``model_zoo_table.py --measure``: the entry's cost fields become the
    measured ones."""
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    zoo = load_tool('model_zoo_table')
    name = 'inti-tokenmix_blip-tiny_synthetic-caption'
    model = dict(next(m for m in MODELS if m['Name'] == name))
    path = str(tmp_path / 'metafile.yml')
    shutil.copy(model['metafile'], path)
    model_index.update_metadata(name, path, FLOPs=1, Parameters=1)
    zoo.update_metafiles([dict(model, metafile=path)])
    entry = next(
        m for m in model_index._read_yaml(path)['Models'] if m['Name'] == name)
    measured = zoo.measure(
        Config.fromfile(osp.join(REPO_ROOT, model['Config'])))
    assert entry['Metadata']['FLOPs'] == measured['FLOPs'] > 1
    assert entry['Metadata']['Parameters'] == measured['Parameters'] > 1


def test_model_zoo_table_reads_the_index():
    zoo = load_tool('model_zoo_table')
    model = next(m for m in MODELS if m['Name'] == 'inti_vit-b_k400')
    assert zoo.reported(model) == 'top-1 84.1, 182 GFLOPs (InTI Tab. 1)'
    row = zoo.table([model]).splitlines()[-1]
    assert '| 16 × 224² | 183.0 | 86.97 |' in row


def test_modelindex_package_reads_the_index():
    """The format ``mim search`` reads (OpenMMLab's ``modelindex``)."""
    modelindex = pytest.importorskip('modelindex.load_model_index')
    index = modelindex.load(osp.join(REPO_ROOT, 'model-index.yml'))
    assert len(index.models) == len(MODELS)
    for model in index.models:
        assert model.in_collection in COLLECTIONS
    # mandatory fields present, collections and file references resolved
    assert index.check(silent=True) == []
