#!/usr/bin/env python3
"""The HTML report, parsed (html.parser), not string-compared: its sections, a verdict per verdict
of the JSON report, the timeline lanes, nothing fetched (no script, no external reference), and
hostile log lines and entry names kept as text. Usage: check_html.py DARTDIAG SOURCE_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', '</style><b>x</b>', '"\'><svg onload=alert(3)>']


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.text, self.attrs = [], set(), [], []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        d = dict(attrs)
        self.attrs.append((tag, d))
        if 'id' in d:
            self.ids.add(d['id'])
        self.stack.append(tag)

    def handle_data(self, data):
        self.text.append((self.stack[-1] if self.stack else '', data))

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def fail(message):
    print('FAIL: ' + message)
    sys.exit(1)


def check(dartdiag, args, expect_lanes, hostile=False):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'report.html')
        r = subprocess.run([dartdiag, '--format', 'html', '-o', out] + args, capture_output=True)
        if r.returncode not in (0, 1, 4) or r.stdout:
            fail(f'{args}: exit {r.returncode}, stdout {r.stdout[:200]!r}, stderr {r.stderr[:300]!r}')
        page_text = open(out, encoding='utf-8').read()
        j = json.loads(subprocess.run([dartdiag, '--format', 'json'] + args, capture_output=True).stdout)
    p = Page()
    p.feed(page_text)
    p.close()
    for section in ('protections', 'timeline', 'firewall-request', 'coverage'):
        if section not in p.ids:
            fail(f'{args}: no section #{section}')
    if j['verdicts'] and 'verdicts' not in p.ids:
        fail(f'{args}: no #verdicts section')
    rules = [d.get('data-rule') for t, d in p.attrs if t == 'article' and 'data-rule' in d]
    if rules != [v['rule'] for v in j['verdicts']]:
        fail(f'{args}: verdict articles {rules} != JSON verdicts')
    lanes = {d.get('data-lane') for t, d in p.attrs if t == 'g' and 'data-lane' in d}
    if not set(expect_lanes) <= lanes:
        fail(f'{args}: lanes {lanes}, expected {expect_lanes}')
    # Nothing runs and nothing is fetched.
    if 'script' in p.tags or 'link' in p.tags or 'iframe' in p.tags or 'img' in p.tags:
        fail(f'{args}: a script, link, iframe or img element')
    for tag, d in p.attrs:
        for k, v in d.items():
            if k.startswith('on'):
                fail(f'{args}: event handler attribute {k} on <{tag}>')
            if k in ('src', 'srcset', 'poster', 'data'):
                fail(f'{args}: {k}= on <{tag}>')
            if k == 'href' and tag != 'a':
                fail(f'{args}: href on <{tag}>')
    if hostile:
        body = ''.join(t for _, t in p.text)
        for h in HOSTILE:
            if h not in body:
                fail(f'hostile text {h!r} is not kept as text')
        if p.tags.count('style') != 1:
            fail('a hostile line opened or closed a style element')
        if 'b' in p.tags or 'svg' in [t for t in p.tags if t == 'svg'] and p.tags.count('svg') > 2:
            fail('a hostile line became markup')
        if 'onload' in ''.join(k for _, d in p.attrs for k in d):
            fail('a hostile attribute became markup')


def main():
    dartdiag, source = sys.argv[1], sys.argv[2]
    bundles = os.path.join(source, 'testdata', 'bundles')
    capture = os.path.join(source, 'testdata', 'captures', 'DARTBundle_0827_0307.pcapng')
    check(dartdiag, [os.path.join(bundles, 'DARTBundle_0827_0307'), capture], ['dns-ipv4', 'web', 'capture'])
    check(dartdiag, ['--lang', 'zh_TW.UTF-8', os.path.join(bundles, 'DARTBundle_0827_0307'), capture], ['dns-ipv4', 'web'])
    for case in sorted(os.listdir(bundles)):
        check(dartdiag, [os.path.join(bundles, case)], [])
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, 'hostile')
        shutil.copytree(os.path.join(bundles, 'dns-ipv4-unprotected'), bundle)
        log = os.path.join(bundle, 'Cisco Secure Client', 'Umbrella', 'csccumbrellaplugin.txt')
        lines = open(log, encoding='utf-8').read().splitlines()
        lines = [l + ' ' + ' '.join(HOSTILE) if 'rejected all' in l else l for l in lines]
        open(log, 'w', encoding='utf-8').write('\n'.join(lines) + '\n')
        for i, h in enumerate(HOSTILE):
            name = h.replace('/', '_')
            open(os.path.join(bundle, name + '.txt'), 'w').write('x')
        check(dartdiag, [bundle], ['dns-ipv4'], hostile=True)
    print('ok')


main()
