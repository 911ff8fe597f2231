"""Check that every measured number a lesson's prose states is visible in an output of the same page.

A lesson teaches with numbers: "fine-tuning reaches 78.6 %", "+1.9 points [+0.6, +3.3]", "2.9x", "12 s". Each must
be printed by a cell on the same page, as the reader sees it, or the page asks the reader to trust a number no cell
shows. This script reads the saved notebooks (what the site shows) and, for every lesson:

- collects the numbers of the prose that are measurements: percentages (`84.3 %`), signed differences in points
  (`+1.9`, `−9.2`), intervals (`[+0.6, +3.3]`), ratios (`2.9x`, `3.5×`), durations (`12 s`, `2.2 h`, `3 min`) and
  decimals below one (`0.85`);
- looks for each in the visible outputs of the page's code cells (text, HTML tables, markdown; not hidden cells,
  not `#| output: false`), as printed: `84.3 %` matches `84.3%`, `84.3` in a table column of percentages, and `0.843`
  (the fraction); `−` matches `-`. A number the prose gives as approximate ("about 70 %", "~3x", "nearly 2 h")
  matches any printed number that rounds to it.

Not checked, because they are not measurements of this page: numbers in `code spans` (settings and quoted output),
in quoted source text (lines starting with `>`), in link targets and headings' anchors, and numbers marked as
published or source figures: a markdown table whose header names a `source` or `published` column and whose rows
carry a citation, or a number followed by a citation in parentheses that names the source (`(BiT, table 4)`,
`(Kaggle Learn)`), listed with `--verbose`. Confidence levels (`95 % CI`), the few-shot settings of the source
projects (`10 %` of the data) and chance (`the 20 % of guessing`) are settings, recognised by the words beside them.

Usage: python scripts/check_claims.py [--verbose] [--self-test] [NOTEBOOK ...]   (default: nbs/lessons/*.ipynb; exit 1 on any
number that no output shows)"""
import argparse, json, re, sys
from pathlib import Path

NUM = r'\d+(?:[.,]\d+)*'
APPROX = re.compile(r'(?:about|around|near|roughly|nearly|almost|some|~|≈|over|under|below|above|close to|'
                    r'more than|less than|at least|at most|up to)\s*$', re.I)
# a number, its sign and its unit: what the prose states as a measurement
CLAIM = re.compile(rf'(?P<sign>[+−\-±])?(?P<num>{NUM})\s?(?P<unit>%|x\b|×|\s?s\b|\s?min\b|\s?h\b|\s?points?\b|'
                   rf'\s?pp\b)?')
SETTING_AFTER = re.compile(r'^\s*(CI|confidence|interval|of (the|each|its) (data|train|class|images)|'
                           r'of the train|of each class|of CIFAR|subset|few-shot|quantile|percentile)', re.I)
# chance: 1 / classes, a definition, not a measurement
CHANCE = re.compile(r'\b(chance|guessing)\b', re.I)
SOURCE_AFTER = re.compile(r'^\s*\((?:[^()]*\b(?:published|reported|source|et al\.|table|fig\.?|paper|'
                          r'tutorial|Kaggle|Keras|BiT|fastbook|PyTorch|torchvision|repository|README)\b[^()]*)\)',
                          re.I)

SOURCE_NEAR = re.compile(r'\b(published|reported|paper|BiT|Helber|fastbook|tutorial|Kaggle|source|'
                         r'recipe printed|project|README|et al\.)', re.I)

def _norm(s:str)->str:
    return s.replace('−', '-').replace('\u2009', ' ').replace('\xa0', ' ')

def _outputs(nb)->str:
    "The text a reader sees in the page's outputs"
    out = []
    for c in nb['cells']:
        if c['cell_type']!='code': continue
        src = ''.join(c['source'])
        if re.search(r'^#\s*\|\s*(hide|output:\s*false)\s*$', src, re.M): continue
        for o in c.get('outputs', []):
            if o.get('output_type')=='stream': out.append(''.join(o['text']))
            d = o.get('data', {})
            for k in ('text/markdown', 'text/html', 'text/plain'):
                if k in d:
                    t = ''.join(d[k])
                    if k=='text/html': t = re.sub(r'<[^>]+>', ' ', t)
                    out.append(t); break
    return _norm('\n'.join(out))

def _prose(md:str)->str:
    "A markdown cell without what is not claimed by the page: code, quotes, link targets, anchors, images"
    md = re.sub(r'```.*?```', ' ', md, flags=re.S)
    md = '\n'.join(l for l in md.splitlines() if not l.lstrip().startswith('>'))
    md = re.sub(r'`[^`]*`', ' ', md)
    md = re.sub(r'\]\([^)]*\)', ']', md)        # link targets
    md = re.sub(r'\{#[^}]*\}', ' ', md)        # anchors
    md = re.sub(r'<[^>]+>', ' ', md)
    # "57.9 / 82.3 / 97.4 %": each number of the list has the unit
    md = re.sub(r'(\d(?:[\d.]*\d)?)(?= / [\d.]+(?: / [\d.]+)* ?%)', r'\1 %', md)
    return _norm(md)

def _source_table_rows(md:str)->set:
    "Rows of a markdown table with a `source`/`published` column: the figures of published work, cited"
    rows, lines = set(), md.splitlines()
    for i, l in enumerate(lines):
        if l.strip().startswith('|') and re.search(r'\b(source|published|reported)\b', l, re.I) and \
           i+1 < len(lines) and re.match(r'^\s*\|[\s:|-]+\|\s*$', lines[i+1]):
            for r in lines[i+2:]:
                if not r.strip().startswith('|'): break
                rows.add(_norm(r))
    return rows

def _sentence(line:str, a:int)->int:
    "Where the sentence holding position `a` starts ('et al. (2019)' does not end one)"
    ends = [m.end() for m in re.finditer(r'[.!?]\s+(?=[A-Z*])', line[:a])]
    return ends[-1] if ends else 0

def claims(md:str, cited=frozenset())->list:
    "(number as written, kind, approximate, context) for each measured number of a markdown cell"
    text, res = _prose(md), []
    src_rows = _source_table_rows(text)
    for line in text.splitlines():
        in_source_table = line in src_rows
        for m in CLAIM.finditer(line):
            num, unit, sign = m['num'], (m['unit'] or '').strip(), m['sign']
            a, b = m.start(), m.end()
            if a and (line[a-1].isalnum() or line[a-1] in '_-.') and not sign: continue  # ResNet50, x2
            if re.match(r'[A-Za-z_]', line[b:b+1] or ' ') and not unit: continue     # 3rd, 64px handled below
            after, before = line[b:], line[:a]
            inside = re.search(r'\[[^\]]*$', before) and re.match(r'[^\[]*\]', after)  # [low, high]
            if unit=='%': kind = 'percent'
            elif unit in ('x', '×'): kind = 'ratio'
            elif unit in ('s', 'min', 'h'): kind = 'time'
            elif unit in ('point', 'points', 'pp') or (sign in ('+', '-', '−') and '.' in num) or inside:
                kind = 'points'
            elif re.fullmatch(r'0\.\d+', num) and re.search(r'(acc\w*|loss)\W{0,3}$', before):
                kind = 'decimal'  # an accuracy or loss as a fraction; other decimals are settings
            else: continue
            if kind=='ratio' and re.match(r'\s*\d', after): continue  # 512 × 2: a product
            if kind=='percent' and re.search(r'\[0, *$', before): continue  # the bounds [0, 100 %]
            if kind=='percent' and (SETTING_AFTER.match(after) or CHANCE.search(line[max(0, a-40):b+20])):
                continue
            if in_source_table or SOURCE_AFTER.match(after): kind = 'source'
            elif (sign or '') + num in cited and SOURCE_NEAR.search(line[_sentence(line, a):b+40]):
                kind = 'source'  # a cited figure named again, its source beside it
            res.append((((sign or '') if kind=='points' else '') + num, kind, bool(APPROX.search(before)),
                        line[max(0, a-40):b+30]))
    return res

def _printed(num:str, kind:str, approx:bool, out:str)->bool:
    "Is `num` in the outputs as printed (or, approximate, as something that rounds to it)?"
    plain = num.lstrip('+').replace(',', '')
    digits = len(plain.split('.')[1]) if '.' in plain else 0
    cands = [re.escape(num)] if num.startswith(('+', '-')) else []
    # as printed, or with zeros after the point (100 % is 100.0%)
    cands.append(r'(?<![\d.])' + re.escape(plain.lstrip('-')) + ('' if '.' in plain else r'(?:\.0+)?'))
    if kind=='percent':  # also as the fraction a table prints
        v = float(plain)
        cands += [re.escape(f"{v/100:.{digits+2}f}").replace(r'0\.', r'0?\.', 1)]
    for c in cands:
        if re.search(c + r'(?!\d|\.\d)', out): return True  # 84 is not 84.7
    if not approx: return False
    v = float(plain)
    for m in re.finditer(r'(?<![\d.])[-+]?\d+(?:\.\d+)?', out):
        w = float(m.group())
        for x in ((w, 100*w) if kind=='percent' else (w,)):
            if round(abs(x), digits)==abs(v) or (digits==0 and abs(abs(x)-abs(v)) < 0.5): return True
    return False

def check(path:Path, verbose=False)->tuple:
    nb = json.loads(Path(path).read_text())
    out, bad, n, src = _outputs(nb), [], 0, 0
    mds = [(i, ''.join(c['source'])) for i, c in enumerate(nb['cells']) if c['cell_type']=='markdown']
    # the figures of published work the page cites in a table: named again in the prose, still cited
    cited = {num for _, md in mds for num, kind, _, _ in claims(md) if kind=='source'}
    for i, md in mds:
        for num, kind, approx, ctx in claims(md, cited):
            if kind=='source':
                src += 1
                if verbose: print(f"  {Path(path).name} cell {i}: source figure {num}: …{ctx}…")
                continue
            n += 1
            if not _printed(num, kind, approx, out): bad.append((i, num, kind, ctx))
    return n, src, bad

def self_test(lesson:Path):
    "The check catches a planted mismatch, and its rules do what the docstring says"
    import tempfile
    nb = json.loads(lesson.read_text())
    n, _, bad = check(lesson)
    assert n > 0 and not bad, f"{lesson.name} must pass before a mismatch is planted in it: {bad}"
    # plant: the first stated percentage, 0.1 higher in the prose, the outputs unchanged
    for c in nb['cells']:
        if c['cell_type']!='markdown': continue
        src = ''.join(c['source'])
        m = next((m for m in re.finditer(r'(\d+\.\d) %', src)), None)
        if m: break
    planted = f"{float(m[1]) + 0.1:.1f}"
    c['source'] = src[:m.start(1)] + planted + src[m.end(1):]
    with tempfile.TemporaryDirectory() as d:
        f = Path(d)/lesson.name; f.write_text(json.dumps(nb))
        _, _, bad = check(f)
    assert [num for _, num, _, _ in bad]==[planted], f"the planted {planted} % was not caught: {bad}"
    cases = {  # prose, outputs -> numbers not shown
        ('accuracy 84.3 %', 'acc 84.3%'): [], ('accuracy 84.3 %', 'acc 0.843'): [],
        ('accuracy 84 %', 'acc 84.3%'): ['84'], ('about 84 %', 'acc 84.3%'): [],
        ('a 95 % CI of +1.9 points', 'diff +1.9%'): [], ('a 95 % CI of +1.9 points', 'diff +1.8%'): ['+1.9'],
        ('2.9x the loss, in 12 s', '2.9x 12.0'): [], ('2.9x the loss', '3.1x'): ['2.9'],
        ('the `lr=0.85` and > 0.85 quoted', ''): [], ('the 20 % of guessing', ''): [],
        ('| published | acc |\n|---|---|\n| BiT | 97.4 % |\n\nBiT gets 97.4 %.', ''): [],
    }
    for (prose, out), want in cases.items():
        nb = dict(cells=[dict(cell_type='markdown', source=prose),
                         dict(cell_type='code', source='x', outputs=[dict(output_type='stream',
                                                                          text=out)])])
        with tempfile.TemporaryDirectory() as d:
            f = Path(d)/'t.ipynb'; f.write_text(json.dumps(nb))
            got = [num for _, num, _, _ in check(f)[2]]
        assert got==want, f"{prose!r} against {out!r}: not shown {got}, expected {want}"
    print(f"check_claims self-test: a planted {m[1]} -> {planted} % in {lesson.name} is caught; "
          f"{len(cases)} rule cases pass")

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('nbs', nargs='*'); p.add_argument('--verbose', action='store_true')
    p.add_argument('--self-test', action='store_true', help='show that a planted mismatch is caught')
    a = p.parse_args(argv)
    root = Path(__file__).parent.parent
    if a.self_test: self_test(root/'nbs'/'lessons'/'01_feature_extraction.ipynb')
    files = [Path(f) for f in a.nbs] or sorted((root/'nbs'/'lessons').glob('[0-9]*.ipynb'))
    total = fails = 0
    for f in files:
        n, src, bad = check(f, a.verbose)
        total += n; fails += len(bad)
        print(f"{f.name}: {n} numbers stated, {n-len(bad)} shown in an output, {src} cited source figures"
              + (f", {len(bad)} NOT SHOWN" if bad else ''))
        for i, num, kind, ctx in bad:
            print(f"  cell {i}: {kind} {num} is in no output: …{ctx.strip()}…")
    print(f"check_claims: {len(files)} notebooks, {total} numbers, {fails} not shown")
    return 1 if fails else 0

if __name__=='__main__': sys.exit(main())
