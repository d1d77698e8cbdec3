#!/bin/sh
# The SVG charts (src/chart.c): tests/chart-test renders every case into
# an HTML5 page and checks the bytes; here each page is read back, every
# <svg> parsed as XML with xml.etree, and the page itself with Python's
# HTML parser (a browser parses inline SVG as HTML, not as XML).  Each
# chart must be well-formed, have a <title> and <desc> that its
# aria-labelledby names, no script element, no on* or style attribute,
# only finite numbers in its geometry, and the hostile labels as text.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

S=$(scratch chart)
BIN=$TOP/tests/chart-test
if [ ! -x "$BIN" ]; then
	fail chart.build "$BIN is missing; run make tests/chart-test"
	exit 1
fi
"$BIN" "$S"
rc=$?
[ "$rc" -eq 0 ] || fail chart.test-exit "chart-test exited $rc"

"$PY" - "$S" <<'EOF'
import html.parser
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
NUM = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
GEOM = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width",
        "height")
HOSTILE = ("<script>alert(1)</script>", "a\"b'c&d",
           "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
           "\"quoted\" & 'single'")
fails = 0


def result(name, problems):
    global fails
    if problems:
        fails += 1
        print("FAIL: " + name)
        for p in problems[:8]:
            print("    " + p)
    else:
        print("PASS: " + name)


class Page(html.parser.HTMLParser):
    """Start tags and attributes as an HTML5 parser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "object", "embed",
                   "foreignobject", "img", "b", "i", "em"):
            self.bad.append("element <%s>" % tag)
        for k, v in attrs:
            if k.startswith("on") or k == "style":
                self.bad.append("attribute %s on <%s>" % (k, tag))
            if v and re.search(r"(?i)javascript:|url\(", v):
                self.bad.append("reference %s=%r" % (k, v))

    def handle_data(self, data):
        self.text.append(data)


def check_svg(name, src):
    problems = []
    try:
        root = ET.fromstring(src)
    except ET.ParseError as e:
        return ["not well-formed XML: %s" % e], None
    if root.tag != SVG + "svg":
        problems.append("root is %s" % root.tag)
    if root.get("width") not in ("100%", "120") or \
            not re.match(r"^0 0 [0-9]+ [0-9]+$", root.get("viewBox") or ""):
        problems.append("size %r, viewBox %r" % (root.get("width"),
                                                  root.get("viewBox")))
    ids = (root.get("aria-labelledby") or "").split()
    if root.get("role") != "img":
        problems.append("no role=img")
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    if title is None or not (title.text or "").strip():
        problems.append("no title")
    if desc is None or not (desc.text or "").strip():
        problems.append("no desc")
    if title is not None and desc is not None and \
            ids != [title.get("id"), desc.get("id")]:
        problems.append("aria-labelledby %r does not name title and desc"
                        % ids)
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        if tag in ("script", "style", "foreignObject", "a", "image",
                   "use") or not el.tag.startswith(SVG):
            problems.append("element %s" % el.tag)
        for k, v in el.attrib.items():
            if k.lower().startswith("on") or k == "style":
                problems.append("attribute %s on %s" % (k, tag))
            if "href" in k:
                problems.append("reference %s on %s" % (k, tag))
            if k in GEOM and el is not root and not NUM.match(v):
                problems.append("%s=%r on %s" % (k, v, tag))
            if k in ("d", "viewBox") and \
                    re.search(r"(?i)nan|inf|e[+-]?[0-9]", v):
                problems.append("%s=%r on %s" % (k, v, tag))
    return problems, root


def text_of(root):
    return "".join(root.itertext())


pages = sorted(f for f in os.listdir(sys.argv[1]) if f.endswith(".html"))
if len(pages) < 15:
    result("chart.pages", ["only %d pages rendered" % len(pages)])
for f in pages:
    name = f[:-5]
    with open(os.path.join(sys.argv[1], f), encoding="utf-8") as fp:
        page = fp.read()
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    problems = []
    roots = []
    for i, s in enumerate(svgs):
        p, root = check_svg(name, s)
        problems += ["svg %d: %s" % (i + 1, x) for x in p]
        if root is not None:
            roots.append(root)
    if not svgs and 'class="chart-empty"' not in page:
        problems.append("neither an svg nor a chart-empty note")
    if len(svgs) != page.count("<svg"):
        problems.append("unbalanced <svg> elements")
    ids = re.findall(r'\bid="([^"]*)"', page)
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    hp = Page()
    hp.feed(page)
    hp.close()
    problems += hp.bad
    result("chart.xml." + name, problems)

    if name == "hostile":
        text = "".join(text_of(r) for r in roots) + "".join(hp.text)
        missing = [h for h in HOSTILE if h not in text]
        result("chart.hostile-as-text",
               ["missing as text: %r" % m for m in missing])
        result("chart.hostile-template-literal",
               [] if "{{x}}" in text and "{{{y}}}" in text
               else ["{{x}} or {{{y}}} not literal"])
    if name == "empty":
        notes = re.findall(r'<p class="chart-empty">(.*?)</p>', page)
        result("chart.empty-notes",
               [] if len(notes) == 4 and not svgs
               else ["%d notes, %d svgs" % (len(notes), len(svgs))])
sys.exit(1 if fails else 0)
EOF
rc=$?
[ "$rc" -eq 0 ] || [ "$T_FAILS" -ne 0 ] || T_FAILS=1
[ "$T_FAILS" -eq 0 ] && [ "$rc" -eq 0 ]
