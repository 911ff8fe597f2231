"""Lint the saved notebooks for what the docs site would show badly (issue 10).

Fails (exit 1) on: code lines over 90 characters, text outputs wider than 100 columns or holding `\\r`,
machine paths in outputs, outputs saved in `#| hide` cells, empty markdown cells, error outputs,
cells that mix imports with other code (nbdev-docs runs those).
Usage: python scripts/lint_nbs.py [NOTEBOOK ...]   (default: every notebook under nbs/)"""
import ast, json, re, sys
from pathlib import Path

MAX_CODE, MAX_OUT = 90, 100
ROOT = Path(__file__).resolve().parent.parent
# absolute paths of a machine: home folders, temp folders, a checkout, the course's data folder
PATH_RE = re.compile(r"(/(?:home|root|tmp|work|Users|var/folders|private|opt|mnt)/[^\s'\"]*|[A-Z]:\\\\Users|\.\./shared)")

def _text(o):
    "The text an output shows: stream text, or the text/plain of a result when it has no richer form"
    if o.get('output_type')=='stream': return ''.join(o.get('text', ''))
    data = o.get('data', {})
    if 'text/html' in data or 'image/png' in data or 'application/vnd.jupyter.widget-view+json' in data: return ''
    return ''.join(data.get('text/plain', ''))

def _all_text(o):
    "Every text an output carries (for paths: the html of a table leaks them too)"
    if o.get('output_type')=='stream': return ''.join(o.get('text', ''))
    return ''.join(''.join(v) for k, v in o.get('data', {}).items() if k.startswith('text/'))

def _is_hidden(src): return any(re.match(r'#\s*\|\s*(hide|exporti?|export)\b', l) and 'hide' in l for l in src.splitlines()[:5])

def _mixes_imports(src):
    "nbdev's rule: a cell with top-level imports and other statements runs at docs time"
    try: tree = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!'))))
    except SyntaxError: return False
    tl = lambda *ts: any(isinstance(t, ts) for t in tree.body)
    return tl(ast.Import, ast.ImportFrom) and tl(ast.Expr, ast.Assign)

def lint(path:Path)->list:
    nb, probs = json.loads(path.read_text()), []
    for i, c in enumerate(nb['cells']):
        src, where = ''.join(c['source']), f"{path.relative_to(ROOT)} cell {i}"
        if c['cell_type']=='markdown':
            if not src.strip(): probs.append(f"{where}: empty markdown cell")
            continue
        if c['cell_type']!='code': continue
        for n, l in enumerate(src.splitlines(), 1):
            if len(l) > MAX_CODE: probs.append(f"{where} line {n}: code line of {len(l)} characters (max {MAX_CODE})")
        if _mixes_imports(src): probs.append(f"{where}: imports and other code in one cell (split them)")
        outs = c.get('outputs', [])
        if outs and _is_hidden(src): probs.append(f"{where}: a hidden cell with saved outputs (clear them)")
        for o in outs:
            if o.get('output_type')=='error': probs.append(f"{where}: error output {o.get('ename')}: {o.get('evalue','')[:60]}")
            t = _text(o)
            if '\r' in _all_text(o): probs.append(f"{where}: output holds '\\r' (progress-bar text)")
            w = max((len(l) for l in t.splitlines()), default=0)
            if w > MAX_OUT: probs.append(f"{where}: text output {w} columns wide (max {MAX_OUT})")
            m = PATH_RE.search(_all_text(o))
            if m: probs.append(f"{where}: machine path in output: {m.group(0)[:60]}")
    return probs

def main(argv):
    nbs = [Path(p).resolve() for p in argv] or sorted((ROOT/'nbs').rglob('*.ipynb'))
    nbs = [p for p in nbs if '.ipynb_checkpoints' not in p.parts and '_proc' not in p.parts]
    probs = [p for nb in nbs for p in lint(nb)]
    for p in probs: print(p)
    print(f"lint_nbs: {len(nbs)} notebooks, {len(probs)} problems")
    return 1 if probs else 0

if __name__=='__main__': sys.exit(main(sys.argv[1:]))
