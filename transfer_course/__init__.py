__version__ = "0.0.1"

import os, warnings
# torch's OpenMP threads spin before they sleep (GNU OpenMP: 300,000 spins by default). Beside another busy process on
# a small machine the spinning threads hold cores the others need: on 2 cores a 2-thread run beside another training
# job took 15x its time alone. Spinning 30x less kept it as fast alone and cut that to 3.5x (benchmarks/contention.py,
# BENCHMARKS.md); threads compute the same numbers either way. Read when torch loads OpenMP, so set before torch is
# imported; a value the user set is kept.
os.environ.setdefault('GOMP_SPINCOUNT', '10000')
# fastai.layers calls torch.jit.script at import time; torch >= 2.10 warns about it on every import. Nothing to act on.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)

if os.environ.get('IN_TEST') and 'OMP_NUM_THREADS' not in os.environ:
    # nbdev-test runs min(cores, 8) notebooks at once, and torch would give each of them a thread per core: on 2 cores
    # that oversubscription measured 8x slower than one thread each. Give each notebook its share of the cores.
    import torch
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // min(os.cpu_count() or 1, 8)))
