#!/usr/bin/env python3
"""The HTML report in a real browser (headless Chromium, Debian's `chromium`): the page renders
(a screenshot is written), its DOM holds every verdict of the JSON report and the timeline lanes,
and the page fetches nothing (Chromium's net log holds no request from the page; a control page
with an external image shows the log would see one). Usage:
  chromium_check.py DARTDIAG SOURCE_DIR [SCREENSHOT.png]"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

# The browser's own services (updates, time, accounts), not the page's requests.
BROWSER_HOSTS = re.compile(r'^https?://([a-z0-9.-]+\.)?(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)(/|$)')
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-default-apps', '--hide-scrollbars']


def fail(message):
    print('FAIL: ' + message)
    sys.exit(1)


def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if shutil.which(name):
            return shutil.which(name)
    fail('chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/setup installs it)')


def run_browser(browser, page, tmp, extra):
    net = os.path.join(tmp, 'net.json')
    if os.path.exists(net):
        os.remove(net)
    r = subprocess.run([browser] + FLAGS + [f'--user-data-dir={tmp}/profile', f'--log-net-log={net}'] + extra +
                       ['file://' + page], capture_output=True, timeout=120)
    urls = set(re.findall(r'"url":"([^"]+)"', open(net).read())) if os.path.exists(net) else set()
    page_requests = {u for u in urls if not u.startswith('file://' + page) and not BROWSER_HOSTS.match(u)
                     and not u.startswith('data:') and not u.startswith('chrome')}
    return r, page_requests


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))


def main():
    dartdiag, source = sys.argv[1], sys.argv[2]
    screenshot = sys.argv[3] if len(sys.argv) > 3 else None
    browser = chromium()
    bundle = os.path.join(source, 'testdata', 'bundles', 'DARTBundle_0827_0307')
    capture = os.path.join(source, 'testdata', 'captures', 'DARTBundle_0827_0307.pcapng')
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ('en', 'zh-TW'):
            page = os.path.join(tmp, f'report-{lang}.html')
            subprocess.run([dartdiag, '--lang', lang, '--format', 'html', '-o', page, bundle, capture], check=False)
            report = json.loads(subprocess.run([dartdiag, '--format', 'json', bundle, capture], capture_output=True).stdout)
            r, requests = run_browser(browser, page, tmp, ['--dump-dom'])
            if r.returncode != 0 or b'</html>' not in r.stdout:
                fail(f'{lang}: chromium did not render the page (exit {r.returncode}): {r.stderr[-500:]!r}')
            if requests:
                fail(f'{lang}: the page fetched {sorted(requests)}')
            dom = Dom()
            dom.feed(r.stdout.decode('utf-8'))
            rules = [d['data-rule'] for t, d in dom.attrs if t == 'article' and 'data-rule' in d]
            if rules != [v['rule'] for v in report['verdicts']] or not rules:
                fail(f'{lang}: verdicts in the DOM {rules}')
            lanes = {d['data-lane'] for t, d in dom.attrs if t == 'g' and 'data-lane' in d}
            if not {'dns-ipv4', 'dns-ipv6', 'web', 'capture'} <= lanes:
                fail(f'{lang}: timeline lanes in the DOM {sorted(lanes)}')
            shot = os.path.join(tmp, f'shot-{lang}.png')
            r, requests = run_browser(browser, page, tmp, ['--window-size=1200,1800', f'--screenshot={shot}'])
            if not os.path.exists(shot) or os.path.getsize(shot) < 20000:
                fail(f'{lang}: no screenshot ({r.stderr[-300:]!r})')
            if requests:
                fail(f'{lang}: the page fetched {sorted(requests)} while rendering')
            if screenshot and lang == 'en':
                shutil.copyfile(shot, screenshot)
        # The control: a page with an external image is seen fetching it.
        control = os.path.join(tmp, 'control.html')
        open(control, 'w').write('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
        _, requests = run_browser(browser, control, tmp, ['--dump-dom'])
        if not any('127.0.0.1:9' in u for u in requests):
            fail('the net log does not show a page request: the check cannot see fetches')
    print('ok')


main()
