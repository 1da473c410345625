# Copyright (c) mmvidlm authors. All rights reserved.
"""Read the method index: ``model-index.yml`` and the metafiles it imports.

    python tools/analysis_tools/model_index.py [--collection NAME] [--task T]

Every experiment config has one entry (``Models``) in the metafile of its
folder, ``configs/<method>/metafile.yml``, in the OpenMMLab format that
MMAction2 and MMPretrain use (and ``mim search`` reads): ``Name``, ``In
Collection``, ``Config``, ``Metadata`` (``FLOPs`` and ``Parameters`` of the
video encoder for one view, measured by
``tools/analysis_tools/model_zoo_table.py --write``; ``Training Data``) and
``Results`` as the paper reports them (``Task``, ``Dataset``, ``Metrics``,
and ``Source``: paper and table). A ``Collection`` is a method, with its
``Paper`` (``Title``, ``URL``) and ``Code`` (``URL``).

Tools import this file (it is a script folder, not a package) with
``importlib`` and call :func:`load_models`; it needs only PyYAML.
"""
import argparse
import os.path as osp
import re
from typing import Dict, List, Optional

import yaml

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
INDEX = osp.join(REPO_ROOT, 'model-index.yml')


def _read_yaml(path: str) -> dict:
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist (named by '
                                f'{INDEX} or a metafile).')
    with open(path) as f:
        return yaml.safe_load(f) or {}


def metafiles(index: str = INDEX) -> List[str]:
    """The metafiles ``index`` imports, as absolute paths."""
    root = osp.dirname(index)
    return [osp.join(root, path) for path in _read_yaml(index)['Import']]


def load_collections(index: str = INDEX) -> Dict[str, dict]:
    """Every ``Collection`` of the index, by name."""
    collections = {}
    for path in metafiles(index):
        for collection in _read_yaml(path).get('Collections') or []:
            collections[collection['Name']] = collection
    return collections


def load_models(collection: Optional[str] = None,
                index: str = INDEX) -> List[dict]:
    """The ``Models`` entries of the index, in metafile order.

    Args:
        collection (str, optional): Keep the models ``In Collection`` of
            this name. Defaults to None (all).
        index (str): The model index. Defaults to the repository's.

    Returns:
        list[dict]: The entries as written, each with ``metafile`` (its
        file) added.
    """
    models = []
    for path in metafiles(index):
        for model in _read_yaml(path).get('Models') or []:
            if collection in (None, model.get('In Collection')):
                models.append(dict(model, metafile=path))
    return models


def models_by_config(index: str = INDEX) -> Dict[str, dict]:
    """Every model entry by its ``Config`` (path from the repository
    root)."""
    return {model['Config']: model for model in load_models(index=index)}


def format_results(model: dict) -> str:
    """The reported results of an entry in one line, e.g.
    ``Top 1 Accuracy 84.1, GFLOPs 182 (InTI Tab. 1)``."""
    parts = []
    for result in model.get('Results') or []:
        metrics = ', '.join(f'{name} {value}'
                            for name, value in result['Metrics'].items())
        source = result.get('Source')
        parts.append(f'{metrics} ({source})' if source else metrics)
    return '; '.join(parts)


def update_metadata(model_name: str, metafile: str, **fields) -> None:
    """Rewrite ``Metadata`` fields (e.g. ``FLOPs=...``) of one entry of a
    metafile in place, keeping the rest of the file as written.

    Args:
        model_name (str): The entry's ``Name``.
        metafile (str): The metafile that holds it.
        **fields: Field names with spaces written as ``_`` and their new
            values; each must exist in the entry's ``Metadata``.
    """
    with open(metafile) as f:
        text = f.read()
    match = re.search(
        rf'^  - Name: {re.escape(model_name)}\n(.*?)(?=^  - Name: |\Z)', text,
        re.M | re.S)
    if match is None:
        raise KeyError(f'{metafile} has no model named {model_name}.')
    entry = match.group(0)
    for key, value in fields.items():
        key = key.replace('_', ' ')
        entry, count = re.subn(
            rf'^(      {key}): .*$', rf'\g<1>: {value}', entry, flags=re.M)
        if count != 1:
            raise KeyError(f'{model_name} in {metafile} has no Metadata '
                           f'field {key!r}.')
    with open(metafile, 'w') as f:
        f.write(text[:match.start()] + entry + text[match.end():])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--collection', help='one collection (a method)')
    parser.add_argument('--task', help='keep models with results on a task')
    args = parser.parse_args()
    for model in load_models(args.collection):
        tasks = {r['Task'] for r in model.get('Results') or []}
        if args.task and args.task not in tasks:
            continue
        meta = model['Metadata']
        print(f'{model["Name"]}  [{model["In Collection"]}]  '
              f'{model["Config"]}\n'
              f'    {meta["FLOPs"] / 1e9:.1f} GFLOPs, '
              f'{meta["Parameters"] / 1e6:.2f} M parameters (encoder); '
              f'trained on {meta["Training Data"]}')
        if model.get('Results'):
            print(f'    reported: {format_results(model)}')


if __name__ == '__main__':
    main()
