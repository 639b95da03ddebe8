"""Lists untranslated or fuzzy entries in the apps' zh_Hans catalogs; exits 1 if any."""

import sys
from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "civicgrid"
apps = sys.argv[1:] or [p.name for p in root.iterdir() if (p / "locale").is_dir()]
missing = 0
for app in apps:
    po_path = root / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        continue
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        if not entry.translated() or "fuzzy" in entry.flags:
            missing += 1
            print(f"{app}: untranslated: {entry.msgid!r}")
sys.exit(1 if missing else 0)
