# Copyright (c) mmvidlm authors. All rights reserved.
from .trainable_constructor import TrainableParamsOptimWrapperConstructor

__all__ = ['TrainableParamsOptimWrapperConstructor']
