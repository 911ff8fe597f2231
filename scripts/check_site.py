"""Check the built docs site (`nbdev-docs` -> `_docs/`) the way a reader meets it.

For every page:
- links: every link inside the site (relative, or to the site's own address from `settings.ini`/`pyproject.toml`'s
  doc_host and doc_baseurl) leads to a page that was built, and its `#anchor` to an id on that page;
- names: every `backticked` public name of the library (from nbdev's `_modidx`) in the prose is a link to its entry;
- source: every API entry (nbdev's `show_doc`: a rule, then the entry's heading) has its "source" link;
- leaks: no temporary folder, machine path or traceback in what the page shows, and no markdown link left
  unrendered (`[name](url)` as text: a backticked name inside a link's text, which nbdev links again);
- fit: code blocks and printed outputs whose longest line fits the content column at 1280 px without scrolling.
  FIT is the number of characters that fit, measured in headless Chromium on a built page with `--measure`
  (the column's inner width over the width of the code font's character); at least 95 % of blocks must fit.
  Plain code blocks of the prose (no class, not a cell's output: pasted script output on the benchmarks page)
  wrap their lines (styles.css) and always fit.

Usage: python scripts/check_site.py [_docs]             (exit 1 on any failure)
       python scripts/check_site.py --measure _docs/lessons/keras_recipe.html
           writes PAGE.measure.html: open it in Chromium at 1280 px, its title holds the measured characters:
           chromium --headless --window-size=1280,1000 --virtual-time-budget=5000 --dump-dom URL | grep MEASURE
"""
import argparse, json, re, sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse, unquote

FIT = 100  # characters a line that fit at 1280 px (--measure: 100.7 in Chromium 1280 px, Quarto 1.7.34)
MIN_FIT = 0.95
# pages rendered from the repository's own markdown (nbs/benchmarks.md is a link to BENCHMARKS.md): nbdev links
# backticked names in notebooks only, so these are not held to the names check
PLAIN = {'benchmarks.html'}
LEAKS = re.compile(r'(/tmp/|/root/|/home/\w|/work/\w|/private/var/|Traceback \(most recent call last\)|'
                   r'\btmp[a-z0-9_]{8}\b|\]\((?:https?://|[\w./-]+\.html))')

class Page(HTMLParser):
    "What a reader meets on one page: ids, links, inline code, blocks, the text shown"
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.codes, self.blocks, self.text = set(), [], [], [], []
        self.stack, self.code, self.pre, self.main, self.hidden = [], None, None, 0, 0
        self.classes = []  # the class attribute of each open element, as `stack`
        self.hr, self.entries = False, []  # show_doc entries: [heading id, has a source link]
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a: self.ids.add(a['id'])
        if tag in ('script', 'style', 'title'): self.hidden += 1
        if tag=='main': self.main += 1
        if tag=='a' and a.get('href'): self.links.append(a['href'])
        if tag=='hr': self.hr, self.src = True, False
        if tag=='a' and self.hr and (a.get('href') or '').startswith('http') and '/blob/' in a['href']:
            self.src = True
        if tag in ('h2', 'h3', 'h4') and self.hr:
            self.entries.append((a.get('data-anchor-id') or a.get('id'), self.src)); self.hr = False
        if tag=='pre':
            self.pre = []
            # a plain block of the prose (no class, not a cell's output) wraps its long lines
            # (styles.css): it fits whatever its width
            self.wraps = not a.get('class') and not any(
                any(k.startswith('cell-output') for k in c) for c in self.classes)
        if tag=='code' and self.pre is None:
            self.code = dict(text='', linked='a' in self.stack, main=self.main > 0)
        if tag not in ('br', 'hr', 'img', 'meta', 'link', 'input'):
            self.stack.append(tag); self.classes.append((a.get('class') or '').split())
    def handle_endtag(self, tag):
        if tag in ('script', 'style', 'title'): self.hidden -= 1
        if tag=='main': self.main -= 1
        if tag=='pre' and self.pre is not None:
            if self.main: self.blocks.append(('' if self.wraps else ''.join(self.pre)))
            self.pre = None
        if tag=='code' and self.code is not None:
            if self.code['main']: self.codes.append(self.code)
            self.code = None
        if tag in self.stack:
            while self.stack:
                self.classes.pop()
                if self.stack.pop()==tag: break
    def handle_data(self, d):
        if self.pre is not None: self.pre.append(d)
        if self.code is not None: self.code['text'] += d
        if self.main and not self.hidden: self.text.append(d)

def _site(root:Path)->str:
    "The site's own address (doc_host + doc_baseurl), so that absolute links to it are checked too"
    try:
        import tomllib
        cfg = tomllib.loads((root.parent/'pyproject.toml').read_text()).get('tool', {}).get('nbdev', {})
        return cfg.get('doc_host', '').rstrip('/') + '/' + cfg.get('doc_baseurl', '').strip('/') + '/'
    except Exception: return ''

def _names(root:Path)->set:
    "The library's public names, as nbdev's index has them"
    try:
        sys.path.insert(0, str(root.parent))
        from transfer_course._modidx import d
        # functions, classes and constants (module.name), not methods (module.Class.name)
        return {k.split('.')[-1] for m in d['syms'].values() for k in m
                if k.count('.')==2 and not k.split('.')[-1].startswith('_')}
    except Exception: return set()

def check(root:Path, verbose=False)->int:
    pages = {p.relative_to(root).as_posix(): p for p in root.rglob('*.html')}
    parsed = {}
    for rel, p in pages.items():
        pg = Page(); pg.feed(p.read_text(errors='replace')); parsed[rel] = pg
    site, names = _site(root), _names(root)
    bad_links, unlinked, no_src, leaks, fits, total = [], [], [], [], 0, 0
    for rel, pg in sorted(parsed.items()):
        here = Path(rel).parent
        for h in pg.links:
            if site and h.startswith(site): h = '/' + h[len(site):]
            u = urlparse(h)
            if u.scheme or h.startswith(('mailto:', 'javascript:')) or h.startswith('//'): continue
            path = unquote(u.path)
            if not path: target = rel
            elif path.startswith('/'): target = path.lstrip('/')
            else: target = (here/path).as_posix()
            target = str(Path(target)).replace('\\', '/')
            parts = []
            for part in target.split('/'):
                if part=='..': parts and parts.pop()
                elif part not in ('.', ''): parts.append(part)
            target = '/'.join(parts)
            if target in pages or target + '.html' in pages or (root/target).is_file() \
               or (root/target/'index.html').is_file():
                t = target if target in parsed else target + '.html' if target + '.html' in parsed else None
                if u.fragment and t and u.fragment not in parsed[t].ids:
                    bad_links.append((rel, h, 'no such anchor'))
            else: bad_links.append((rel, h, 'no such page'))
        for c in pg.codes:
            t = c['text'].strip().rstrip('()')
            if t in names and not c['linked'] and rel not in PLAIN: unlinked.append((rel, t))
        for anchor, src in pg.entries:
            if not src: no_src.append((rel, anchor))
        for m in LEAKS.finditer(''.join(pg.text)): leaks.append((rel, m.group()))
        for b in pg.blocks:
            total += 1
            w = max((len(l.expandtabs()) for l in b.splitlines()), default=0)
            if w <= FIT: fits += 1
            elif verbose: print(f"  {rel}: a block {w} characters wide: {b.splitlines()[0][:60]!r}")
    frac = fits/max(total, 1)
    print(f"check_site: {len(pages)} pages; {sum(len(p.links) for p in parsed.values())} links, "
          f"{len(bad_links)} broken; {sum(len(p.entries) for p in parsed.values())} API entries, "
          f"{len(no_src)} without a source link; "
          f"{sum(c['text'].strip().rstrip('()') in names for r, p in parsed.items() if r not in PLAIN for c in p.codes)} "
          f"backticked public names, {len(unlinked)} not linked; {len(leaks)} leaked paths or tracebacks; "
          f"{fits} of {total} code blocks fit {FIT} characters ({frac:.1%}, at least {MIN_FIT:.0%} needed)")
    for rel, h, why in bad_links: print(f"  broken link in {rel}: {h} ({why})")
    for rel, a in no_src: print(f"  no source link for {a} in {rel}")
    for rel, t in unlinked: print(f"  `{t}` not linked in {rel}")
    for rel, t in leaks: print(f"  {rel} shows {t!r}")
    return int(bool(bad_links or no_src or unlinked or leaks or frac < MIN_FIT))

def measure(page:Path):
    "A copy of `page` whose title, once Chromium lays it out, says how many code characters fit"
    js = """<script>window.addEventListener('load', () => {
  const pre = document.querySelector('div.sourceCode pre'), code = pre.querySelector('code') || pre;
  const span = document.createElement('span'); span.textContent = 'x'.repeat(100); code.appendChild(span);
  const cw = span.getBoundingClientRect().width / 100, cs = getComputedStyle(pre);
  const inner = pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  document.title = 'MEASURE ' + (inner / cw).toFixed(1) + ' characters fit (' + inner.toFixed(0) + ' px, '
                   + cw.toFixed(2) + ' px a character)'; });</script></body>"""
    out = page.with_suffix('.measure.html')
    out.write_text(page.read_text().replace('</body>', js))
    print(out)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('root', nargs='?', default='_docs'); p.add_argument('--verbose', action='store_true')
    p.add_argument('--measure', help='a built page to measure the code column on')
    a = p.parse_args(argv)
    if a.measure: return measure(Path(a.measure))
    root = Path(a.root)
    if not root.is_dir(): sys.exit(f"{root} is not a folder: build the site first (nbdev-docs)")
    return check(root.absolute(), a.verbose)

if __name__=='__main__': sys.exit(main())
