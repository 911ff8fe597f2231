__version__ = "0.0.1"

import warnings
# fastai.layers calls torch.jit.script at import time; torch >= 2.10 warns about it on every import. Nothing to act on.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
