"""Our source strings are English, so the English catalogue's translation of each is the string itself.

Run by `make messages` after makemessages; it fills only empty or fuzzy English entries.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kizuna.core.catalog import read_catalog, untranslated, write_catalog

path = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
entries = read_catalog(path)
for entry in entries:
    if entry.is_header:
        # makemessages marks a new header fuzzy; the header is ours and complete.
        entry.comments = [c for c in entry.comments if not (c.startswith("#,") and "fuzzy" in c)]
for entry in untranslated(entries):
    entry.comments = [c for c in entry.comments if not (c.startswith("#,") and "fuzzy" in c)]
    if entry.msgid_plural is None:
        entry.msgstr = {0: entry.msgid}
    else:
        entry.msgstr = {0: entry.msgid, 1: entry.msgid_plural}
write_catalog(path, entries)
print(f"English catalogue: {len(entries)} entries, all translated.")
