#!/usr/bin/env bash
# The report as a browser shows it: builds one page from every Examples script, then has headless Chromium
# (Debian's package) take it at desktop and phone widths and print it, and checks the phone layout with the
# browser's own measurements. Leaves desktop.png, phone.png and print.pdf in OUT to look at.
# Usage: Tests/Report/screenshots.sh EVQ_BINARY OUT_DIR
set -euo pipefail
evq=$(realpath "$1")
out=$2
mkdir -p "$out"
out=$(realpath "$out")
cd "$(dirname "$0")/../.."

# 19-errors and friends fail on purpose: the page shows their errors, and evq exits 1.
status=0
SOURCE_DATE_EPOCH=0 "$evq" report Examples/*.evq --keep-going --title "EVQ: every example, every figure cited" \
    -o "$out/examples.html" 2>/dev/null || status=$?
[ "$status" -le 1 ] && [ -s "$out/examples.html" ] || { echo "report: evq report failed ($status)"; exit 1; }

chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$out/profile" "$@" 2>/dev/null
}
chrome --window-size=1280,2400 --screenshot="$out/desktop.png" "file://$out/examples.html" >/dev/null
chrome --window-size=390,2400 --screenshot="$out/phone.png" "file://$out/examples.html" >/dev/null
chrome --no-pdf-header-footer --print-to-pdf="$out/print.pdf" "file://$out/examples.html" >/dev/null

# The page itself has no script; a wrapper page measures it in a 390-pixel frame: the page must not scroll
# sideways (wide tables scroll inside their own box), and every chart must fit the frame.
cat >"$out/measure.html" <<'HTML'
<!DOCTYPE html><html><body>
<iframe id="f" src="examples.html" style="width:390px;height:900px;border:0"></iframe>
<script>
document.getElementById("f").onload = function () {
  var d = this.contentDocument, root = d.documentElement, wide = 0;
  d.querySelectorAll("figure.chart svg").forEach(function (s) { if (s.getBoundingClientRect().right > root.clientWidth + 1) wide++; });
  document.body.setAttribute("data-result", "overflow=" + (root.scrollWidth > root.clientWidth) + " wide-charts=" + wide
    + " tables=" + d.querySelectorAll("table").length);
};
</script></body></html>
HTML
measured=$(chrome --allow-file-access-from-files --virtual-time-budget=10000 --dump-dom "file://$out/measure.html" \
    | grep -o 'data-result="[^"]*"' || true)
echo "report: phone layout: ${measured:-no measurement}"
[[ "$measured" == *"overflow=false wide-charts=0 tables="* ]] || { echo "report: the page does not fit a phone"; exit 1; }

# Each file exists, the pictures have the asked widths, and the printout has pages.
python3 - "$out" <<'PY'
import struct, sys, re
out = sys.argv[1]
for name, width in (("desktop.png", 1280), ("phone.png", 390)):
    data = open(f"{out}/{name}", "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", name
    w, h = struct.unpack(">II", data[16:24])
    assert w == width and h > 1000, (name, w, h)
pdf = open(f"{out}/print.pdf", "rb").read()
pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
assert pdf.startswith(b"%PDF") and pages >= 5, pages
print(f"report: desktop.png, phone.png and print.pdf ({pages} pages) in {out}")
PY
