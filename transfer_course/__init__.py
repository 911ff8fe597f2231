__version__ = "0.0.1"

import os, warnings
# fastai.layers calls torch.jit.script at import time; torch >= 2.10 warns about it on every import. Nothing to act on.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)

if os.environ.get('IN_TEST') and 'OMP_NUM_THREADS' not in os.environ:
    # nbdev-test runs min(cores, 8) notebooks at once, and torch would give each of them a thread per core: on 2 cores
    # that oversubscription measured 8x slower than one thread each. Give each notebook its share of the cores.
    import torch
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // min(os.cpu_count() or 1, 8)))
