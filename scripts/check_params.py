#!/usr/bin/env python3
"""Every parameter of every public function and class has a description in its reference page's table.

nbdev draws a reference entry's parameter table with fastcore's `docments`: a parameter's description is the comment
on its line, or the comment lines right above it. This runs `docments` on each public function and class (the
modules' `__all__`, what the pages show) and lists the parameters it finds no description for. A class is read as
nbdev reads it: a dataclass by its fields, any other by its own `__init__` (one it inherits, an exception's
`*args`, is not the library's to describe).

    python scripts/check_params.py [--self-test] [module ...]  # default: every module; exit 1 if one is missing
"""
import importlib, inspect, os, sys
from pathlib import Path

os.environ.setdefault('OMP_NUM_THREADS', '1')
root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root))
from fastcore.docments import docments

SKIP = {'self', 'cls', 'return'}

def own_params(obj)->bool:
    "Is `obj` a function, a dataclass, or a class with its own `__init__`?"
    if inspect.isfunction(obj): return True
    if not inspect.isclass(obj): return False
    import dataclasses
    return dataclasses.is_dataclass(obj) or '__init__' in vars(obj)

def undescribed(obj)->list:
    "The parameters of `obj` its table would show without a description"
    # the docs' renderer reads `*args`/`**kwargs` comments too (`all._FitRenderer`)
    return [k for k, v in docments(obj, args_kwargs=True).items() if k not in SKIP and not v]

def missing(mod:str)->dict:
    "{public name: [parameters without a description]} of `transfer_course.mod`"
    m = importlib.import_module(f'transfer_course.{mod}')
    out = {}
    for name in getattr(m, '__all__', []):
        obj = getattr(m, name)
        if getattr(obj, '__module__', None)!=m.__name__ or not own_params(obj): continue
        if bad := undescribed(obj): out[name] = bad
    return out

def _planted(a:int,   # described on its line
             # described above it
             b:int=0,
             c:int=1,
             # a comment here belongs to d, not to c
             d:int=2,
             **kw): ...

def self_test():
    "The check finds the parameters left without a description, `**kw` too, and only those"
    assert undescribed(_planted)==['c', 'kw'], undescribed(_planted)

def main(mods):
    pkg = root/'transfer_course'
    mods = mods or sorted(p.stem for p in pkg.glob('*.py')
                          if not p.stem.startswith('_') and p.stem!='all')
    n = total = 0
    for mod in mods:
        for name, bad in missing(mod).items():
            print(f"{mod}.{name}: no description for {', '.join(bad)}")
            n += len(bad)
        m = importlib.import_module(f'transfer_course.{mod}')
        total += sum(1 for k in getattr(m, '__all__', [])
                     if getattr(getattr(m, k), '__module__', None)==m.__name__
                     and own_params(getattr(m, k)))
    print(f"check_params: {len(mods)} modules, {total} public functions and classes, "
          f"{n} parameters without a description")
    return 1 if n else 0

if __name__=='__main__':
    if '--self-test' in sys.argv: self_test(); sys.argv.remove('--self-test')
    sys.exit(main(sys.argv[1:]))
