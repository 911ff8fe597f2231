"""Execute notebooks in place the way `nbdev-test` runs them, and save their outputs.

Hidden cells are saved without outputs. Cells flagged `#| slow` or `#| cuda` are skipped (their saved outputs
are kept) unless named in --flags, as `nbdev-test` skips them; `IN_TEST` is set as under nbdev-test.
With --only, of the flagged cells only those with the given indices run (the rest keep their saved outputs).
Usage: python scripts/run_nbs.py [--flags "slow cuda"] [--only 35,36] NOTEBOOK ...   (then run nbdev-clean)"""
import argparse, os, re, time
from pathlib import Path

def _flags(src):
    return {m.group(1) for l in src.splitlines()[:5] if (m := re.match(r'#\s*\|\s*(slow|cuda)\s*$', l.strip()))}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('nbs', nargs='+'); p.add_argument('--flags', default='')
    p.add_argument('--only', default='', help='indices of the flagged cells to run, e.g. 35,36')
    a = p.parse_args()
    os.environ.setdefault('IN_TEST', '1')
    from fastcore.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    run_flags = set(a.flags.split())
    if len(a.nbs) > 1:  # one process per notebook, as nbdev-test: no state leaks from one to the next
        import subprocess, sys
        for f in a.nbs:
            subprocess.run([sys.executable, __file__, '--flags', a.flags, '--only', a.only, f],
                           check=True)
        return
    for f in a.nbs:
        f = Path(f).absolute(); t = time.perf_counter()
        nb = read_nb(f)
        only = {int(i) for i in a.only.split(',') if i}
        def skip(c):
            fl = _flags(c.source) if c.cell_type=='code' else set()
            return bool(fl - run_flags) or bool(fl and only and nb.cells.index(c) not in only)
        last, slow = [time.perf_counter()], []
        def timed(c):  # cells over 10 s, for BENCHMARKS.md
            now = time.perf_counter()
            if now - last[0] > 10: slow.append(f"cell {nb.cells.index(c)} {now-last[0]:.0f} s")
            last[0] = now
        def pre(c): last[0] = time.perf_counter(); return skip(c)
        with working_directory(f.parent):
            CaptureShell(f).run_all(nb, exc_stop=True, preproc=pre, postproc=timed)
        for c in nb.cells:  # hidden cells are saved without outputs: the site never shows them
            if c.cell_type=='code' and re.search(r'^#\s*\|\s*hide\s*$', c.source, re.M): c.outputs = []
        write_nb(nb, f)
        print(f"{f.name}: executed in {time.perf_counter()-t:.0f} s"
              + (f" ({', '.join(slow)})" if slow else ''), flush=True)

if __name__=='__main__': main()
