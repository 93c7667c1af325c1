"""A small reader and writer for gettext .po catalogues, enough for our completeness checks.

Used by the translation test and by `scripts/fill_english_catalog.py`; Django itself only
reads the compiled .mo files.
"""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class CatalogEntry:
    comments: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.comments)

    @property
    def is_obsolete(self) -> bool:
        return any(line.startswith("#~") for line in self.comments)

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.is_fuzzy

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(token: str) -> str:
    body = token.strip()[1:-1]
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            out.append(_ESCAPES.get(body[index + 1], body[index + 1]))
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [f"{line}\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def read_catalog(path: Path) -> list[CatalogEntry]:
    entries: list[CatalogEntry] = []
    current = CatalogEntry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current.msgid or current.msgstr or current.comments:
            entries.append(current)
        current, target = CatalogEntry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
            current.comments.append(line)
            continue
        if line.startswith("msgctxt "):
            current.msgctxt, target = _unquote(line[8:]), ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            current.msgid_plural, target = _unquote(line[13:]), ("msgid_plural", 0)
        elif line.startswith("msgid "):
            if target is not None and target[0] == "msgstr":
                finish()
            current.msgid, target = _unquote(line[6:]), ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current.msgstr[index], target = _unquote(line[line.index("]") + 1 :]), ("msgstr", index)
        elif line.startswith("msgstr "):
            current.msgstr[0], target = _unquote(line[7:]), ("msgstr", 0)
        elif line.startswith('"') and target is not None:
            text = _unquote(line)
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += text
            elif kind == "msgid":
                current.msgid += text
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            else:
                current.msgctxt = (current.msgctxt or "") + text
    finish()
    return entries


def write_catalog(path: Path, entries: list[CatalogEntry]) -> None:
    blocks = []
    for entry in entries:
        lines = list(entry.comments)
        if entry.msgctxt is not None:
            lines.append(f"msgctxt {_quote(entry.msgctxt)}")
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.msgid_plural is not None:
            lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
            for index in sorted(entry.msgstr):
                lines.append(f"msgstr[{index}] {_quote(entry.msgstr[index])}")
        else:
            lines.append(f"msgstr {_quote(entry.msgstr.get(0, ''))}")
        blocks.append("\n".join(lines))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def untranslated(entries: list[CatalogEntry]) -> list[CatalogEntry]:
    """Entries a reader would see in the source language: empty or fuzzy translations."""
    return [e for e in entries if not e.is_header and not e.is_obsolete and not e.is_translated]
