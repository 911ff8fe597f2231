#!/usr/bin/env python3
"""Docments that render: no parameter comment continued on a comment-only line below it.

fastcore's `docments`, which draws the parameter tables of the reference pages, takes one inline comment per
parameter; a comment-only line after it is given to the *next* parameter (or lost). A long description goes on
comment lines above its parameter instead, which fastcore joins. This checks the exported cells of every notebook
and, with --fix, moves each continued comment above its parameter.

    python scripts/check_docments.py [--fix]
"""
import json, re, sys, textwrap
from pathlib import Path

CODE = re.compile(r'^(?P<ind>\s*)(?P<code>\S.*?)(?P<gap>\s{2,})(?P<com>#\s?.*)$')
ONLY = re.compile(r'^(?P<ind>\s*)#\s?(?P<txt>.*)$')

def continued(lines):
    "(line index, comment column, continuation indices) of inline comments continued below"
    out = []
    for i, l in enumerate(lines):
        m = CODE.match(l)
        # a `#` inside a string is no comment: the code before it has its quotes balanced
        if not m or m['code'].lstrip().startswith('#') or m['code'].count("'") % 2 \
           or m['code'].count('"') % 2: continue
        col = len(l) - len(m['com'])
        j = i + 1
        while j < len(lines) and (o := ONLY.match(lines[j])) and len(o['ind']) == col: j += 1
        if j > i + 1: out.append((i, col, list(range(i+1, j))))
    return out

def fix(src:str)->str:
    lines = src.split('\n')
    for i, col, conts in reversed(continued(lines)):
        m = CODE.match(lines[i])
        if re.match(r'\s*(async\s+)?def ', m['ind'] + m['code']): continue  # the def line: left to a person
        text = ' '.join([m['com'].lstrip('#').strip()] + [ONLY.match(lines[j])['txt'].strip()
                                                         for j in conts])
        # one line where it fits the lint's 90 columns; else wrapped (the table shows the breaks)
        ind = m['ind']
        above = textwrap.wrap(text, 90, initial_indent=ind + '# ', subsequent_indent=ind + '# ')
        lines[i:conts[-1]+1] = above + [m['ind'] + m['code'].rstrip()]
    return '\n'.join(lines)

def main():
    do_fix = '--fix' in sys.argv
    bad = 0
    for p in sorted(Path('nbs').rglob('*.ipynb')):
        if '.ipynb_checkpoints' in p.parts: continue
        nb = json.loads(p.read_text()); changed = False
        for k, c in enumerate(nb['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or not src.startswith('#| export'): continue
            lines = src.split('\n')
            for i, col, conts in continued(lines):
                bad += 1
                print(f"{p} cell {k}: the comment of `{lines[i].strip()[:60]}` runs on over {len(conts)} "
                      f"line(s): docments gives them to the next parameter")
            if do_fix:
                new = fix(src)
                if new != src:
                    ls = new.split('\n'); c['source'] = [l + '\n' for l in ls[:-1]] + [ls[-1]]; changed = True
        if changed: p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    print(f"check_docments: {bad} continued parameter comments" + (' (fixed)' if do_fix and bad else ''))
    return 1 if bad and not do_fix else 0

if __name__ == '__main__': sys.exit(main())
