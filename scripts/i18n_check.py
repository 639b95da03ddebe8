"""Lists untranslated or fuzzy entries in the apps' zh_Hans catalogs; exits 1 if any."""

import sys
from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "civicgrid"
apps = sys.argv[1:] or [p.name for p in root.iterdir() if (p / "locale").is_dir()]
missing = 0
seen: dict[tuple[str, str], tuple[str, str]] = {}  # (context, msgid) -> (app, msgstr)
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
            continue
        # Django merges every app's catalog: the same msgid must mean the same everywhere
        # (use pgettext with a context where the meaning differs).
        key = (entry.msgctxt or "", entry.msgid)
        text = entry.msgstr or str(entry.msgstr_plural)
        if key in seen and seen[key][1] != text:
            missing += 1
            print(f"{app}: {entry.msgid!r} is {text!r} here but {seen[key][1]!r} in {seen[key][0]}")
        seen.setdefault(key, (app, text))
sys.exit(1 if missing else 0)
