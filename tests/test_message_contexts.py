"""One English word with two meanings carries a message context, so each meaning gets its own translation.

"Open" once labelled both a space anyone may read and a review item nobody has handled; the
shared message id made every open space read 「未対応」 ("not handled"). Two rules catch it:
a word translated differently under a context somewhere carries a context everywhere, and a
label shared by the choices of two apps says which meaning it has.
"""

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import override

from kizuna.core.catalog import read_catalog
from kizuna.moderation.models import ReviewItem
from kizuna.spaces.models import AccessType

CATALOG = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def _choices_classes() -> Iterator[type[models.Choices]]:
    pending: list[type[models.Choices]] = list(models.Choices.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kizuna."):
            yield cls


def _contextless_msgid(label: object) -> str | None:
    """The message id of a label marked with gettext_lazy; None for pgettext_lazy or plain text."""
    args = getattr(label, "_args", None)
    if args is not None and len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return None


def test_a_message_translated_with_a_context_somewhere_has_one_everywhere() -> None:
    """A msgid translated differently under a context is a second meaning; its plain use must
    then say which meaning it has too. One Japanese word in every context is one meaning."""
    translations: dict[str, dict[str | None, str]] = defaultdict(dict)
    for entry in read_catalog(CATALOG):
        if not entry.is_header:
            translations[entry.msgid][entry.msgctxt] = entry.msgstr.get(0, "")
    mixed = sorted(
        msgid
        for msgid, by_context in translations.items()
        if None in by_context and len(set(by_context.values())) > 1
    )
    assert mixed == [], f"give these a context wherever they are used: {mixed}"


def test_a_choice_label_shared_by_two_apps_has_a_context() -> None:
    apps_by_msgid: dict[str, set[str]] = defaultdict(set)
    for cls in _choices_classes():
        app = cls.__module__.split(".")[1]
        for member in cls:
            msgid = _contextless_msgid(member.label)
            if msgid is not None:
                apps_by_msgid[msgid].add(app)
    shared = {msgid: sorted(apps) for msgid, apps in apps_by_msgid.items() if len(apps) > 1}
    assert shared == {}, f"label these with pgettext_lazy and a context: {shared}"


def test_an_open_space_and_an_open_review_item_read_differently_in_japanese() -> None:
    with override("ja"):
        space_label = str(AccessType.OPEN.label)
        review_label = str(ReviewItem.Status.OPEN.label)
    assert space_label == "公開"
    assert review_label == "未対応"
