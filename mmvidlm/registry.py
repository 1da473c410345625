# Copyright (c) mmvidlm authors. All rights reserved.
"""mmvidlm's registry nodes: children of MMAction2's, scope ``mmvidlm``.

With ``default_scope = 'mmvidlm'`` a config finds mmvidlm's modules first
and falls back to MMAction2's and MMEngine's (the parents). MMPretrain's
modules are reached with their scope prefix, e.g. ``'mmpretrain.BlipCaption'``.
"""
from mmaction.registry import DATA_SAMPLERS as MMACTION_DATA_SAMPLERS
from mmaction.registry import DATASETS as MMACTION_DATASETS
from mmaction.registry import EVALUATOR as MMACTION_EVALUATOR
from mmaction.registry import FUNCTION as MMACTION_FUNCTION
from mmaction.registry import HOOKS as MMACTION_HOOKS
from mmaction.registry import INFERENCERS as MMACTION_INFERENCERS
from mmaction.registry import LOG_PROCESSORS as MMACTION_LOG_PROCESSORS
from mmaction.registry import LOOPS as MMACTION_LOOPS
from mmaction.registry import METRICS as MMACTION_METRICS
from mmaction.registry import MODEL_WRAPPERS as MMACTION_MODEL_WRAPPERS
from mmaction.registry import MODELS as MMACTION_MODELS
from mmaction.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMACTION_OPTIM_WRAPPER_CONSTRUCTORS
from mmaction.registry import OPTIM_WRAPPERS as MMACTION_OPTIM_WRAPPERS
from mmaction.registry import OPTIMIZERS as MMACTION_OPTIMIZERS
from mmaction.registry import PARAM_SCHEDULERS as MMACTION_PARAM_SCHEDULERS
from mmaction.registry import \
    RUNNER_CONSTRUCTORS as MMACTION_RUNNER_CONSTRUCTORS
from mmaction.registry import RUNNERS as MMACTION_RUNNERS
from mmaction.registry import TASK_UTILS as MMACTION_TASK_UTILS
from mmaction.registry import TOKENIZER as MMACTION_TOKENIZER
from mmaction.registry import TRANSFORMS as MMACTION_TRANSFORMS
from mmaction.registry import VISBACKENDS as MMACTION_VISBACKENDS
from mmaction.registry import VISUALIZERS as MMACTION_VISUALIZERS
from mmaction.registry import \
    WEIGHT_INITIALIZERS as MMACTION_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

RUNNERS = Registry(
    'runner', parent=MMACTION_RUNNERS, locations=['mmvidlm.engine'])
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor',
    parent=MMACTION_RUNNER_CONSTRUCTORS,
    locations=['mmvidlm.engine'])
LOOPS = Registry('loop', parent=MMACTION_LOOPS, locations=['mmvidlm.engine'])
HOOKS = Registry('hook', parent=MMACTION_HOOKS, locations=['mmvidlm.engine'])

DATASETS = Registry(
    'dataset', parent=MMACTION_DATASETS, locations=['mmvidlm.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMACTION_DATA_SAMPLERS,
    locations=['mmvidlm.datasets'])
TRANSFORMS = Registry(
    'transform', parent=MMACTION_TRANSFORMS, locations=['mmvidlm.datasets'])

MODELS = Registry(
    'model', parent=MMACTION_MODELS, locations=['mmvidlm.models'])
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMACTION_MODEL_WRAPPERS,
    locations=['mmvidlm.engine'])
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMACTION_WEIGHT_INITIALIZERS,
    locations=['mmvidlm.models'])

OPTIMIZERS = Registry(
    'optimizer', parent=MMACTION_OPTIMIZERS, locations=['mmvidlm.engine'])
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=MMACTION_OPTIM_WRAPPERS,
    locations=['mmvidlm.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMACTION_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['mmvidlm.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler',
    parent=MMACTION_PARAM_SCHEDULERS,
    locations=['mmvidlm.engine'])

METRICS = Registry(
    'metric', parent=MMACTION_METRICS, locations=['mmvidlm.evaluation'])
EVALUATOR = Registry(
    'evaluator', parent=MMACTION_EVALUATOR, locations=['mmvidlm.evaluation'])

TASK_UTILS = Registry(
    'task util', parent=MMACTION_TASK_UTILS, locations=['mmvidlm.models'])
VISUALIZERS = Registry(
    'visualizer', parent=MMACTION_VISUALIZERS, locations=['mmvidlm.engine'])
VISBACKENDS = Registry(
    'vis_backend', parent=MMACTION_VISBACKENDS, locations=['mmvidlm.engine'])
LOG_PROCESSORS = Registry(
    'log_processor',
    parent=MMACTION_LOG_PROCESSORS,
    locations=['mmvidlm.engine'])
INFERENCERS = Registry(
    'inferencer', parent=MMACTION_INFERENCERS, locations=['mmvidlm.apis'])
FUNCTION = Registry(
    'function', parent=MMACTION_FUNCTION, locations=['mmvidlm.models'])
TOKENIZER = Registry(
    'tokenizer', parent=MMACTION_TOKENIZER, locations=['mmvidlm.datasets'])
