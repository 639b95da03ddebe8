"""Fill msgstr entries of one app's zh_Hans catalog from tab-separated lines
on standard input ("English msgid<TAB>中文"), then recompile with scripts/i18n.

    .venv/bin/python scripts/i18n_fill.py areas <<'TSV'
    Grid map	网格地图
    TSV
"""

import sys
from pathlib import Path

import polib

app = sys.argv[1]
po_path = (
    Path(__file__).resolve().parent.parent / "civicgrid" / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
)
po = polib.pofile(str(po_path))
pairs = dict(line.rstrip("\n").split("\t", 1) for line in sys.stdin if "\t" in line)
filled = 0
for entry in po:
    if entry.msgid in pairs:
        if entry.msgid_plural:  # Chinese has one plural form
            entry.msgstr_plural = {0: pairs[entry.msgid]}
        else:
            entry.msgstr = pairs[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
po.save()
print(f"{app}: filled {filled} of {len(pairs)} given")
