#!/usr/bin/python3
"""Static checks of a built Charter site, as its HTML says it.

    dom_check.py OUTDIR [--expect-text STRING ...] [--prefix P]

Parses every .html file under OUTDIR (stdlib html.parser only) and prints one
"PASS: name" or "FAIL: name" line per file per check group, with indented
detail lines after a failure (and "    info: ..." lines that are no failure):

  dom.head FILE    <meta charset="utf-8"> is the first element in <head>, and
                   <head> holds exactly one CSP <meta> with exactly POLICY.
  dom.inert FILE   no <script>, no on* attribute, no <style> or style=, no
                   <iframe> <object> <embed> <form> <base> <frame> <frameset>
                   <applet>, no <meta http-equiv="refresh">.
  dom.urls FILE    every URL attribute (href, src, srcset, action, formaction,
                   xlink:href, poster, ...) is relative, or http:/https:/
                   mailto:.  Decoded and stripped as a browser does (entities,
                   tabs, newlines, control characters), javascript:, data:,
                   file:, vbscript: and every other scheme fail; so do "/..."
                   and "//..." (root- and protocol-relative: both break on
                   file:// and the second loads from the network).  An http(s)
                   URL in <a href>, <area href> or a cite= is an info line;
                   anywhere else (img src, link href, ...) it is a network
                   load, and fails.
  dom.links FILE   every relative href/src/srcset/poster names a file that
                   exists inside OUTDIR (no "..", no folder), and a #fragment
                   names an id (or <a name>) in the target page.
  dom.css FILE     for each .css file: no @import, and every url() is relative
                   and names an existing file.
  dom.expect-text  (one per --expect-text) STRING occurs in a text node of some
                   page, as decoded text: proof that markup in the input was
                   escaped, not interpreted.  Whitespace runs compare as one
                   space.

--prefix P puts P before every check name ("xss." gives "xss.dom.head ...").

Exit status: 0 if everything passed, 1 if anything failed, 2 on bad usage.
"""

import os
import re
import sys
import urllib.parse
from html.parser import HTMLParser

POLICY = ("default-src 'none'; img-src 'self' data:; style-src 'self'; "
          "base-uri 'none'; form-action 'none'")

FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "object", "embed", "form",
                      "base", "frame", "frameset", "applet"}
# Attributes whose value is a URL (srcset is a list; handled apart).
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster",
             "cite", "background", "data", "ping", "manifest", "longdesc",
             "codebase"}
# Relative URLs in these must name an existing file.
LINK_ATTRS = {"href", "src", "xlink:href", "poster", "data"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Attributes a reader follows (or that only cite), so nothing loads from
# them: an absolute http(s) URL there is an info line, anywhere else a
# network load and a failure.
NAV_ATTRS = {("a", "href"), ("area", "href"), ("blockquote", "cite"),
             ("q", "cite"), ("del", "cite"), ("ins", "cite")}
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What the URL parser strips or drops, and more: all C0 controls, DEL and
# whitespace, so "jav&#x09;ascript:" and " javascript:" are both seen.
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")


class Page(HTMLParser):
    """One parsed page: elements, ids, text nodes and problems found."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []          # (tag, attrs as list, line)
        self.ids = set()
        self.texts = []             # text nodes outside script/style
        self._text = []
        self._raw = None            # inside <script>/<style>
        self.head_first = None      # first element after <head>
        self._in_head = False
        self.saw_head = False

    def _flush(self):
        if self._text:
            self.texts.append("".join(self._text))
            self._text = []

    def handle_starttag(self, tag, attrs):
        self._flush()
        line = self.getpos()[0]
        self.elements.append((tag, attrs, line))
        if self._in_head and self.head_first is None:
            self.head_first = (tag, attrs, line)
        if tag == "head":
            self._in_head = True
            self.saw_head = True
        elif tag == "body":
            self._in_head = False
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if tag == "a" and name == "name" and value:
                self.ids.add(value)
        if tag in ("script", "style"):
            self._raw = tag

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._flush()
        if tag == "head":
            self._in_head = False
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw is None:
            self._text.append(data)

    def close(self):
        super().close()
        self._flush()


def safe(s):
    return CONTROL_RE.sub(lambda m: "".join(
        c if c == " " else "\\x%02x" % ord(c) for c in m.group(0)), s)


def normalize_url(value):
    """The URL as a browser reads it for its scheme: no entities (the parser
    decoded them), no controls or whitespace anywhere."""
    return CONTROL_RE.sub("", value or "")


def srcset_urls(value):
    out = []
    for cand in (value or "").split(","):
        cand = cand.strip()
        if cand:
            out.append(cand.split()[0])
    return out


def parse(path):
    p = Page()
    with open(path, "rb") as f:
        raw = f.read()
    p.decode_error = None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        p.decode_error = "not valid UTF-8: %s" % e
        text = raw.decode("utf-8", "replace")
    p.feed(text)
    p.close()
    return p


class Checker:
    def __init__(self, outdir, prefix=""):
        self.prefix = prefix
        self.outdir = os.path.realpath(outdir)
        self.failed = 0
        self.pages = {}             # relative path -> Page

    def report(self, name, problems, infos=()):
        # Values come from the site: no control character may start a line
        # of its own (a forged "PASS:"), so each is shown escaped.
        name = safe(self.prefix + name)
        problems = [safe(x) for x in problems]
        infos = [safe(x) for x in infos]
        if problems:
            self.failed += 1
            print("FAIL: %s" % name)
            for p in problems[:40]:
                print("    %s" % p)
            if len(problems) > 40:
                print("    ... and %d more" % (len(problems) - 40))
        else:
            print("PASS: %s" % name)
        for i in list(infos)[:20]:
            print("    info: %s" % i)

    def page(self, rel):
        if rel not in self.pages:
            self.pages[rel] = parse(os.path.join(self.outdir, rel))
        return self.pages[rel]

    # ---- check groups ----

    def check_head(self, rel, p):
        probs = []
        if p.decode_error:
            probs.append(p.decode_error)
        if not p.saw_head:
            probs.append("no <head> start tag")
        else:
            first = p.head_first
            ok = False
            if first and first[0] == "meta":
                a = dict(first[1])
                ok = (len(first[1]) == 1 and
                      (a.get("charset") or "").lower() == "utf-8")
            if not ok:
                got = ("<%s> (line %d)" % (first[0], first[2]) if first
                       else "nothing")
                probs.append('first element in <head> must be '
                             '<meta charset="utf-8">; found %s' % got)
        csp = []
        in_head = False
        for tag, attrs, line in p.elements:
            if tag == "head":
                in_head = True
            elif tag == "body":
                in_head = False
            a = dict(attrs)
            if tag == "meta" and (a.get("http-equiv") or "").lower() == \
                    "content-security-policy":
                csp.append((a.get("content") or "", line, in_head))
        if not csp:
            probs.append("no <meta http-equiv=\"Content-Security-Policy\">")
        elif len(csp) > 1:
            probs.append("%d CSP <meta> elements (lines %s); want one" %
                         (len(csp), ", ".join(str(c[1]) for c in csp)))
        for content, line, in_head in csp:
            if content != POLICY:
                probs.append("line %d: CSP is %r; want %r" %
                             (line, content, POLICY))
            if not in_head:
                probs.append("line %d: CSP <meta> outside <head> is ignored"
                             % line)
        self.report("dom.head %s" % rel, probs)

    def check_inert(self, rel, p):
        probs = []
        for tag, attrs, line in p.elements:
            if tag in FORBIDDEN_ELEMENTS:
                probs.append("line %d: <%s> element" % (line, tag))
            for name, value in attrs:
                if name.startswith("on"):
                    probs.append("line %d: <%s %s=...> event handler" %
                                 (line, tag, name))
                elif name == "style":
                    probs.append("line %d: <%s style=%r> (CSP forbids inline "
                                 "style)" % (line, tag, value))
            a = dict(attrs)
            if tag == "meta" and (a.get("http-equiv") or "").lower() == \
                    "refresh":
                probs.append("line %d: <meta http-equiv=\"refresh\">" % line)
        self.report("dom.inert %s" % rel, probs)

    def url_values(self, p):
        """(tag, attr, raw value, line) for every URL-bearing attribute."""
        for tag, attrs, line in p.elements:
            for name, value in attrs:
                if name in URL_ATTRS:
                    if tag == "meta" or (name == "data" and tag != "object"):
                        continue
                    yield tag, name, value or "", line
                elif name in ("srcset", "imagesrcset"):
                    for u in srcset_urls(value):
                        yield tag, name, u, line

    def check_urls(self, rel, p):
        probs, infos = [], []
        for tag, name, value, line in self.url_values(p):
            u = normalize_url(value)
            where = "line %d: <%s %s=%r>" % (line, tag, name, value)
            m = SCHEME_RE.match(u)
            if m:
                scheme = m.group(1).lower()
                if scheme not in ALLOWED_SCHEMES:
                    probs.append("%s: %s: URL" % (where, scheme))
                elif scheme in ("http", "https"):
                    if (tag, name) in NAV_ATTRS:
                        infos.append("%s: absolute link" % where)
                    else:
                        probs.append("%s: loads from the network" % where)
                elif (tag, name) not in NAV_ATTRS:
                    probs.append("%s: mailto: outside <a href>" % where)
            elif u.startswith("//") or u.startswith("\\\\") or \
                    u[:2] in ("/\\", "\\/"):
                probs.append("%s: protocol-relative URL" % where)
            elif u.startswith("/") or u.startswith("\\"):
                probs.append("%s: root-relative URL (breaks on file://)"
                             % where)
        self.report("dom.urls %s" % rel, probs, infos)

    def resolve(self, rel, url):
        """(target relative path or None, fragment or None, problem or None)
        for a relative URL found in page rel."""
        url = url.strip()
        path, _, frag = url.partition("#")
        path = path.split("?", 1)[0]
        frag = urllib.parse.unquote(frag) if "#" in url else None
        if path == "":
            return rel, frag, None
        path = urllib.parse.unquote(path.replace("\\", "/"))
        base = os.path.dirname(rel)
        target = os.path.normpath(os.path.join(base, path))
        if target == ".." or target.startswith("../") or \
                os.path.isabs(target):
            return None, None, "points outside the site"
        full = os.path.join(self.outdir, target)
        if path.endswith("/") or os.path.isdir(full):
            return None, None, ("names a folder (file:// shows a listing, "
                                "not its index.html)")
        if not os.path.isfile(full):
            return None, None, "no such file %s" % target
        real = os.path.realpath(full)
        if not real.startswith(self.outdir + os.sep):
            return None, None, "resolves outside the site (symlink)"
        return target, frag, None

    def check_links(self, rel, p):
        probs = []
        for tag, name, value, line in self.url_values(p):
            if name not in LINK_ATTRS and name not in ("srcset",
                                                       "imagesrcset"):
                continue
            u = normalize_url(value)
            if SCHEME_RE.match(u) or u.startswith("/") or \
                    u.startswith("\\"):
                continue            # dom.urls judges these
            where = "line %d: <%s %s=%r>" % (line, tag, name, value)
            target, frag, prob = self.resolve(rel, value)
            if prob:
                probs.append("%s: %s" % (where, prob))
                continue
            if frag and frag != "top" and target.endswith(".html"):
                if frag not in self.page(target).ids:
                    probs.append("%s: no id %r in %s" %
                                 (where, frag, target))
        self.report("dom.links %s" % rel, probs)

    def check_css(self, rel):
        probs = []
        with open(os.path.join(self.outdir, rel), "rb") as f:
            css = f.read().decode("utf-8", "replace")
        css_nc = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        if re.search(r"@import\b", css_nc, re.I):
            probs.append("@import (a second request; CSP may block it)")
        for m in re.finditer(r"url\(\s*(['\"]?)(.*?)\1\s*\)", css_nc, re.I):
            value = m.group(2)
            u = normalize_url(value)
            if SCHEME_RE.match(u) or u.startswith("/") or \
                    u.startswith("\\"):
                probs.append("url(%s): not a relative URL" % value)
                continue
            _, _, prob = self.resolve(rel, value)
            if prob:
                probs.append("url(%s): %s" % (value, prob))
        self.report("dom.css %s" % rel, probs)

    def expect_text(self, want, htmls):
        norm = " ".join(want.split())
        found = []
        for rel in htmls:
            for t in self.page(rel).texts:
                if norm in " ".join(t.split()):
                    found.append(rel)
                    break
        name = "dom.expect-text %s" % want
        if found:
            self.report(name, [], ["found as text in %s" %
                                   ", ".join(found[:5])])
        else:
            self.report(name, ["not found as decoded text in any of %d pages"
                               % len(htmls)])


def main(argv):
    args = argv[1:]
    if not args or args[0].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    outdir = args[0]
    expects = []
    prefix = ""
    i = 1
    while i < len(args):
        if args[i] == "--expect-text" and i + 1 < len(args):
            expects.append(args[i + 1])
            i += 2
        elif args[i] == "--prefix" and i + 1 < len(args):
            prefix = args[i + 1]
            i += 2
        else:
            sys.stderr.write("dom_check.py: unknown argument %r\n" % args[i])
            return 2
    if not os.path.isdir(outdir):
        print("FAIL: %sdom.outdir %s" % (prefix, outdir))
        print("    not a folder")
        return 1
    c = Checker(outdir, prefix)
    htmls, csss = [], []
    for root, dirs, files in os.walk(c.outdir):
        dirs.sort()
        for fn in sorted(files):
            rel = os.path.relpath(os.path.join(root, fn), c.outdir)
            if fn.endswith(".html"):
                htmls.append(rel)
            elif fn.endswith(".css"):
                csss.append(rel)
    if not htmls:
        print("FAIL: %sdom.pages %s" % (prefix, outdir))
        print("    no .html file under it")
        return 1
    for rel in htmls:
        p = c.page(rel)
        c.check_head(rel, p)
        c.check_inert(rel, p)
        c.check_urls(rel, p)
        c.check_links(rel, p)
    for rel in csss:
        c.check_css(rel)
    for want in expects:
        c.expect_text(want, htmls)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
