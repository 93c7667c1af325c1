"""The reason a play is due, built at display time in the reader's language from the rule's
kind and what it found."""

import pytest
from django.utils import translation

from kizuna.plays.reasons import reason_sentence

ENGLISH = [
    (
        "no_ambassador",
        {"tier": "high"},
        "",
        "High touch account, but no member is in the ambassador programme",
    ),
    (
        "no_recent_event",
        {"days": 90, "last": "2026-07-03", "any_activity": False},
        "",
        "No event attended by anyone at this account in the last 90 days (last: 2026-07-03)",
    ),
    (
        "no_recent_event",
        {"days": 90, "last": None, "any_activity": False},
        "",
        "No event attended by anyone at this account in the last 90 days (none so far)",
    ),
    (
        "no_recent_event",
        {"days": 60, "last": "2026-05-01", "any_activity": True},
        "",
        "No activity by anyone at this account in the last 60 days (last: 2026-05-01)",
    ),
    (
        "contacts_not_joined",
        {"contacts": 3, "joined": 0},
        "",
        "None of the account's 3 contacts has joined the community",
    ),
    (
        "contacts_not_joined",
        {"contacts": 1, "joined": 0},
        "",
        "The account's 1 contact has not joined the community",
    ),
    (
        "contacts_not_joined",
        {"contacts": 8, "joined": 2},
        "",
        "Only 2 of the account's 8 contacts have joined the community (25%)",
    ),
    (
        "champion_inactive",
        {"days": 30, "last": "2026-05-20", "output": 4, "window_days": 180, "ambassador": False},
        "山田花子",
        "山田花子, a leader (contributions in the last 180 days: 4), has had no activity for "
        "30 days (last: 2026-05-20)",
    ),
    (
        "champion_inactive",
        {"days": 30, "last": "2026-05-20", "output": 0, "window_days": 180, "ambassador": True},
        "山田花子",
        "Ambassador 山田花子 has had no activity for 30 days (last: 2026-05-20)",
    ),
    (
        "champion_inactive",
        {"days": 30, "last": None, "output": 0, "window_days": 180, "ambassador": True},
        "山田花子",
        "Ambassador 山田花子 has had no activity in the community yet",
    ),
    (
        "renewal_engagement_falling",
        {"renewal": "2026-09-30", "window_days": 30, "recent": 6, "previous": 8, "drop": 25},
        "",
        "Renews on 2026-09-30, and activity in the last 30 days fell 25% on the 30 days before "
        "(8 → 6)",
    ),
]


@pytest.mark.parametrize(("kind", "params", "member", "expected"), ENGLISH)
def test_the_reason_reads_in_english(
    kind: str, params: dict[str, object], member: str, expected: str
) -> None:
    with translation.override("en"):
        assert reason_sentence(kind, params, member_name=member) == expected


def _catalogue_has(message: str) -> bool:
    with translation.override("ja"):
        return translation.gettext(message) != message


NO_AMBASSADOR = "%(tier)s account, but no member is in the ambassador programme"


@pytest.mark.skipif(
    not _catalogue_has(NO_AMBASSADOR),
    reason="the Japanese catalogue gains the plays' sentences when the integrator merges them",
)
def test_the_reason_reads_in_japanese() -> None:
    with translation.override("ja"):
        assert (
            reason_sentence("no_ambassador", {"tier": "high"})
            == "ハイタッチのアカウントですが、アンバサダープログラムに参加しているメンバーがいません"
        )
        assert reason_sentence(
            "no_recent_event", {"days": 90, "last": "2026-07-03", "any_activity": False}
        ) == (
            "直近90日間、このアカウントのメンバーが参加したイベントがありません（最終：2026-07-03）"
        )


def test_an_unknown_kind_or_odd_params_never_break_the_page() -> None:
    with translation.override("en"):
        assert reason_sentence("something_new", {}) == "something_new"
        assert reason_sentence("contacts_not_joined", {"contacts": "x", "joined": None}) == (
            "None of the account's 0 contacts has joined the community"
        )
