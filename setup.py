# Copyright (c) mmvidlm authors. All rights reserved.
import os
import os.path as osp
import shutil
import sys
from setuptools import find_packages, setup

#: What OpenMMLab's `mim` reads from an installed package's `.mim` folder:
#: `mim search mmvidlm` reads model-index.yml and the metafiles it imports.
MIM_FILES = ('model-index.yml', 'configs', 'tools')


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


def add_mim_files() -> None:
    """Put :data:`MIM_FILES` in ``mmvidlm/.mim``: links to the checkout for
    an in-place (develop / editable) install, copies for a built package."""
    root = osp.dirname(osp.abspath(__file__))
    mim_dir = osp.join(root, 'mmvidlm', '.mim')
    in_place = any(cmd in sys.argv for cmd in ('develop', 'editable_wheel'))
    os.makedirs(mim_dir, exist_ok=True)
    for name in MIM_FILES:
        src, dst = osp.join(root, name), osp.join(mim_dir, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if in_place:
            os.symlink(osp.relpath(src, mim_dir), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


if any(
        cmd in sys.argv for cmd in ('develop', 'editable_wheel', 'sdist',
                                    'bdist_wheel', 'build', 'install')):
    add_mim_files()

setup(
    name='mmvidlm',
    version=get_version(),
    description='OpenMMLab-style adaptation of image-language ViTs (CLIP, '
    'BLIP) to video: InTI and Token Mixing',
    long_description=open('README.md').read()
    if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests')),
    include_package_data=True,
    package_data={'mmvidlm': ['.mim/**/*']},
    python_requires='>=3.9',
    install_requires=read_requirements('runtime.txt'),
    extras_require=dict(tests=read_requirements('tests.txt')),
    license='Apache License 2.0',
    zip_safe=False)
