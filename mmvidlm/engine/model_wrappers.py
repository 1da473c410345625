# Copyright (c) mmvidlm authors. All rights reserved.
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS


# Registered in MMEngine's root registry: ``Runner.wrap_model`` looks the
# wrapper up with ``MODEL_WRAPPERS.get`` on the root, which does not search
# grandchild scopes such as mmvidlm's.
@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """MMEngine's DDP wrapper for modules that live on the CPU (gloo).

    MMEngine's runner always passes ``device_ids=[LOCAL_RANK]``, which torch
    rejects for CPU modules; this wrapper drops it when the module has no
    CUDA parameter and is otherwise MMEngine's wrapper unchanged.

    Args:
        module (nn.Module): The model to wrap.
        **kwargs: Passed to :class:`MMDistributedDataParallel`.
    """

    def __init__(self, module, **kwargs):
        if not any(p.is_cuda for p in module.parameters()):
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        super().__init__(module=module, **kwargs)
