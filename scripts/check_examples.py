#!/usr/bin/env python3
"""Every entry of a reference page has an example under it.

nbdev draws an entry (`show_doc`) for each public `def` or `class` of an `#| export` cell, right after that cell. An
entry's *region* is the cells after its export cell, up to the next export cell that defines a public name. The
region must hold an example of the entry: a visible code cell (not `#| hide`, not `#| export`, not only `test_*`,
`assert` or `try`/`except` lines) that names it in its code, or whose output shows `Name(`, or that comes right after
a markdown cell naming it in backticks.

    python scripts/check_examples.py [NOTEBOOK ...]     (default: the reference notebooks, nbs/0*.ipynb)
"""
import json, re, sys
from pathlib import Path

TEST = re.compile(r'\s*(test_|assert|with ExceptionExpected|except|try)')

def src(c): return ''.join(c['source'])
def outs(c):
    return ''.join(''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', ''))
                   for o in c.get('outputs', []))

def entries(cells):
    "(cell index, name) of every entry nbdev draws: public defs and classes of export cells"
    res = []
    for i, c in enumerate(cells):
        if c['cell_type']=='code' and re.match(r'#\|\s*export\b', src(c)):
            res += [(i, m.group(1)) for m in re.finditer(r'^(?:def|class) ([A-Za-z]\w*)', src(c), re.M)]
    return res

def missing(p:Path)->list:
    "Names of `p`'s entries with no example in their region"
    cells = json.loads(p.read_text())['cells']
    ents = entries(cells)
    starts = sorted({i for i, _ in ents})
    bad = []
    for i, nm in ents:
        end = next((j for j in starts if j > i), len(cells))
        def example(j):
            c, s = cells[j], src(cells[j])
            if c['cell_type']!='code' or s.lstrip().startswith('#| hide') or re.match(r'#\|\s*export', s): return False
            if all(TEST.match(l) or not l.strip() or l.lstrip().startswith('#') for l in s.splitlines()): return False
            prev = cells[j-1]
            return bool(re.search(r'\b%s\b' % re.escape(nm), s) or f'{nm}(' in outs(c)
                        or (prev['cell_type']=='markdown' and f'`{nm}`' in src(prev)))
        if not any(example(j) for j in range(i+1, end)): bad.append((i, nm))
    return bad

def main():
    paths = [Path(a) for a in sys.argv[1:]] or sorted(Path('nbs').glob('0*.ipynb'))
    n = bad = 0
    for p in paths:
        n += len(entries(json.loads(p.read_text())['cells']))
        for i, nm in missing(p):
            bad += 1
            print(f"{p} cell {i}: `{nm}` has no example before the next entry")
    print(f"check_examples: {len(paths)} notebooks, {n} entries, {bad} without an example")
    return int(bool(bad))

if __name__ == '__main__': sys.exit(main())
