# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp

from setuptools import find_packages, setup


def read_requirements(fname: str) -> list:
    """Read one requirements file of ``requirements/``, skipping comments."""
    with open(osp.join(osp.dirname(__file__), 'requirements', fname)) as f:
        return [
            line.strip() for line in f
            if line.strip() and not line.startswith('#')
        ]


def get_version() -> str:
    namespace = {}
    with open(osp.join('mmvidlm', 'version.py')) as f:
        exec(compile(f.read(), 'mmvidlm/version.py', 'exec'), namespace)
    return namespace['__version__']


setup(
    name='mmvidlm',
    version=get_version(),
    description='OpenMMLab-style adaptation of image-language ViTs (CLIP, '
    'BLIP) to video: InTI and Token Mixing',
    long_description=open('README.md').read() if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests')),
    include_package_data=True,
    python_requires='>=3.9',
    install_requires=read_requirements('runtime.txt'),
    extras_require=dict(tests=read_requirements('tests.txt')),
    license='Apache License 2.0',
    zip_safe=False)
