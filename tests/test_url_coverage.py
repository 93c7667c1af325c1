"""Every URL pattern is either asked by an authorisation matrix or listed here with its reason.

A new page or API operation fails this test until it joins a matrix (which then proves who
may and may not see it) or is listed below as public, staff-only, the viewer's own, or not
yet covered. The lists may only shrink: an entry is removed when a matrix comes to ask the
pattern, and a new pattern goes into a matrix, not into a list, unless it truly is public or
staff-only. An entry whose pattern no longer exists fails too, so the lists stay true.
"""

from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from kizuna.plays.tests.test_access_matrix import EXERCISED_URL_NAMES as PLAYS_MATRIX
from kizuna.segments.tests.test_access import EXERCISED_URL_NAMES as SEGMENTS_MATRIX
from kizuna.success.tests.test_success_access_matrix import (
    EXERCISED_URL_NAMES as SUCCESS_MATRIX,
)
from tests.test_cohorts_access_matrix import EXERCISED_URL_NAMES as COHORTS_MATRIX
from tests.test_content_access_matrix import EXERCISED_URL_NAMES as CONTENT_MATRIX
from tests.test_customers_access_matrix import EXERCISED_URL_NAMES as CUSTOMERS_MATRIX
from tests.test_engagement_access_matrix import EXERCISED_URL_NAMES as ENGAGEMENT_MATRIX
from tests.test_home_access_matrix import EXERCISED_URL_NAMES as HOME_MATRIX

# What the older matrices ask, each with the text of its module that asks it (a page by its
# URL name, an API operation by its path), so that dropping a case there fails here too.
OLDER_MATRICES: dict[str, dict[str, str]] = {
    "test_authorization_matrix.py": {
        "spaces:space-list": '"spaces:space-list"',
        "spaces:space-detail": '"spaces:space-detail"',
        "spaces:space-members": '"spaces:space-members"',
        "spaces:space-requests": '"spaces:space-requests"',
        "spaces:space-invitations": '"spaces:space-invitations"',
        "spaces:space-edit": '"spaces:space-edit"',
        "spaces:space-join": '"spaces:space-join"',
        "content:post-detail": '"content:post-detail"',
        "content:post-edit": '"content:post-edit"',
        "content:post-history": '"content:post-history"',
        "content:space-feed": '"content:space-feed"',
        "content:answer-create": '"content:answer-create"',
        "content:comment-create": '"content:comment-create"',
        "content:attachment-download": '"content:attachment-download"',
        "search:search": '"search:search"',
        "gamification:leaderboard": '"gamification:leaderboard"',
        "api:get_post": 'f"/api/posts/{',
        "api:list_answers": '}/answers"',
        "api:list_levels_endpoint": '"/api/recognition/levels"',
        "api:my_summary": '"/api/recognition/me"',
        "api:member_summary": '/api/recognition/members/{w.subject.pk}"',
        "api:member_ledger": "/api/recognition/members/{w.subject.pk}/ledger",
        "api:list_balances": '"/api/recognition/balances"',
        "api:leaderboard_endpoint": "/api/recognition/leaderboard?",
        "api:member_badges": "/api/recognition/members/{w.subject.pk}/badges",
        "api:list_badges": '"/api/badges"',
        "api:list_rewards": '"/api/rewards"',
        "api:list_redemptions": "/api/redemptions?member_id=",
        "api:get_redemption": 'f"/api/redemptions/{',
        "api:redeem": "/redeem",
    },
    "test_profile_access_matrix.py": {
        "identity:member-profile": '"identity:member-profile"',
        "directory:member-contributions": '"directory:member-contributions"',
        "directory:directory": '"directory:directory"',
        "content:mention-suggestions": '"content:mention-suggestions"',
        "content:post-detail": '"content:post-detail"',
        "api:get_member": 'f"/api/members/{',
        "api:list_members": '"/api/members"',
    },
    "../kizuna/cohorts/tests/test_diagram_views.py": {
        "cohorts:phase-diagram": '"cohorts:phase-diagram"',
    },
    "../kizuna/events/tests/test_events_access_matrix.py": {
        **{
            name: f'"{name}"'
            for name in (
                "events:event-survey",
                "events:event-discussion",
                "events:event-connect",
                "events:event-connect-opt-in",
                "events:event-connect-request",
                "events:event-connect-answer",
                "events:event-invitations",
                "events:event-materials",
                "api:get_event",
                "api:register",
                "api:cancel_registration",
                "api:check_in",
                "api:submit_survey",
            )
        },
        "api:list_events": '"/api/events"',
    },
    "../kizuna/events/tests/test_event_pages_matrix.py": {
        name: f'"{name}"'
        for name in (
            "events:event-list",
            "events:space-events",
            "events:event-detail",
            "events:event-register",
            "events:event-cancel-registration",
            "events:my-registrations",
            "events:event-create",
            "events:event-edit",
            "events:event-registrants",
            "events:event-attendance",
            "events:event-action",
            "events:event-speakers",
        )
    },
    "../kizuna/events/tests/test_public_event_page.py": {
        "events:public-event": '"events:public-event"',
    },
    "../kizuna/events/tests/test_calendar.py": {
        "events:event-calendar": '"events:event-calendar"',
        "events:member-feed": '"events:member-feed"',
        "events:space-feed": '"events:space-feed"',
        "events:member-space-feed": '"events:member-space-feed"',
        "events:calendar-settings": '"events:calendar-settings"',
    },
    "../kizuna/events/tests/test_checkin.py": {
        "events:my-checkin-code": '"events:my-checkin-code"',
        "events:check-in": '"events:check-in"',
        "events:check-in-registration": '"events:check-in-registration"',
    },
}
IN_A_MATRIX = (
    COHORTS_MATRIX
    | CONTENT_MATRIX
    | CUSTOMERS_MATRIX
    | ENGAGEMENT_MATRIX
    | HOME_MATRIX
    | PLAYS_MATRIX
    | SEGMENTS_MATRIX
    | SUCCESS_MATRIX
    | {name for asked in OLDER_MATRICES.values() for name in asked}
)

# Third-party URL families, by the path they are mounted at.
PUBLIC_PREFIXES = {
    "accounts/": "allauth: signing in, up and out, passwords and two-factor of the visitor's own account",
    "ops-admin/": "Django's admin: its own sign-in, for Django superusers only",
}

PUBLIC = {
    "set_language": "switches the visitor's language",
    "api:api-root": "the API's index, no data",
    "api:openapi-json": "the API's description, no data",
    "api:openapi-view": "the API's documentation page, no data",
    "api:unknown_path": "the JSON 404 for every path the API does not know",
    "spaces:invitation-accept": "the emailed token is the credential; the space's own rule applies after",
    "api:accept_invitation": "the emailed token is the credential; the space's own rule applies after",
    "notifications:unsubscribe": "the signed token in an email is the credential; it changes a setting only",
    "media/<path:path>": "outside production only; stored names are random, so not guessable",
}

STAFF_ONLY = {
    "staff:staff-home": "the staff console",
    "staff:staff-members": "staff roles",
    "staff:staff-member-role": "staff roles",
    "staff:staff-api-keys": "staff API keys",
    "staff:staff-api-key-revoke": "staff API keys",
    "staff:staff-audit-log": "the audit log",
    "customers:account-list": "customer data is for staff (SPEC: members never see it)",
    "customers:account-create": "customer data is for staff",
    "customers:account-detail": "customer data is for staff",
    "customers:account-edit": "customer data is for staff",
    "customers:account-link-member": "customer data is for staff",
    "customers:account-unlink-member": "customer data is for staff",
    "api:list_customer_accounts": "customer data is for staff",
    "api:create_customer_account": "customer data is for staff",
    "api:get_customer_account": "customer data is for staff",
    "api:update_customer_account": "customer data is for staff",
    "api:link_member": "customer data is for staff",
    "api:unlink_member": "customer data is for staff",
    "moderation:blocked-terms": "the community's blocked words are kept by staff",
    "moderation:blocked-term-delete": "the community's blocked words are kept by staff",
    "gamification:staff-point-rules": "point rules are set by staff",
    "gamification:staff-point-rule-edit": "point rules are set by staff",
    "badges:badge-manage": "badges are defined by staff",
    "rewards:manage": "the rewards catalogue is kept by staff",
    "rewards:reward-create": "the rewards catalogue is kept by staff",
    "rewards:reward-edit": "the rewards catalogue is kept by staff",
    "rewards:queue": "redemptions are fulfilled by staff",
    "rewards:decide": "redemptions are fulfilled by staff",
    "contests:manage-list": "contests are run by staff",
    "contests:contest-create": "contests are run by staff",
    "contests:manage-contest": "contests are run by staff",
    "contests:contest-edit": "contests are run by staff",
    "contests:choose-winners": "contests are run by staff",
    "contests:contest-action": "contests are run by staff",
    "spaces:space-create": "spaces are created by staff who manage spaces",
    "api:create_space": "spaces are created by staff who manage spaces",
    "events:kpis": "event KPIs are for staff who run events",
}

OWN_ONLY = {
    "identity:my-profile": "the signed-in member's own profile",
    "identity:profile-edit": "the signed-in member's own profile",
    "identity:security": "the signed-in member's own sign-in settings",
    "api:get_me": "the signed-in member's own profile",
    "gamification:my-recognition": "the signed-in member's own points and level",
    "gamification:leaderboard-visibility": "the signed-in member's own leaderboard setting",
    "rewards:mine": "the signed-in member's own redemptions",
    "rewards:cancel": "the signed-in member's own redemptions",
    "rewards:redeem": "spends the signed-in member's own points",
    "notifications:notification-read": "marks the member's own notice read",
    "notifications:notification-read-all": "marks the member's own notices read",
    "notifications:preferences": "the member's own notification settings",
    "notifications:notification-bell": "the member's own unread count, no titles",
    "api:unread_count": "a count of the member's own notices",
    "api:mark_read": "marks the member's own notice read",
    "api:mark_all_read": "marks the member's own notices read",
    "content:markdown-preview": "renders only the text sent with the request",
    "api:my_registrations": "the signed-in member's own event registrations",
}

# Not yet in a matrix: each shows or changes something of a space, so it belongs in one.
NOT_YET_COVERED = {
    "spaces:space-leave": "a membership write of a space",
    "spaces:space-apply": "a membership write of a space",
    "spaces:join-request-withdraw": "a membership write of a space",
    "spaces:space-member-role": "a moderator's write in a space",
    "spaces:space-member-remove": "a moderator's write in a space",
    "spaces:join-request-decide": "a moderator's write in a space",
    "spaces:invitation-revoke": "a space's invitations",
    "spaces:subgroup-create": "a space's sub-groups",
    "api:update_space": "a space's settings",
    "api:archive_space": "a space's settings",
    "api:list_space_members": "a space's members",
    "api:join_space": "a membership write of a space",
    "api:leave_space": "a membership write of a space",
    "api:change_member_role": "a moderator's write in a space",
    "api:remove_member": "a moderator's write in a space",
    "api:apply_to_space": "a membership write of a space",
    "api:list_join_requests": "a space's applicants",
    "api:approve_join_request": "a moderator's write in a space",
    "api:reject_join_request": "a moderator's write in a space",
    "api:create_invitation": "a space's invitations",
    "api:list_invitations": "a space's invitations",
    "api:revoke_invitation": "a space's invitations",
    "content:post-create": "writing in a space",
    "content:answer-edit": "an answer's text",
    "api:create_post": "writing in a space",
    "api:edit_post": "a post's text",
    "api:create_answer": "writing in a thread",
    "api:edit_answer": "an answer's text",
    "api:create_comment": "writing in a thread",
    "api:accept_answer": "a thread's state",
    "api:unaccept_answer": "a thread's state",
    "engagement:knowledge-edit": "a knowledge article's text",
    "engagement:knowledge-promote": "a solved thread's text",
    "engagement:post-unreact": "a reaction on a post",
    "engagement:answer-react": "a reaction on an answer",
    "engagement:answer-unreact": "a reaction on an answer",
    "engagement:post-bookmark": "a bookmark of a post",
    "engagement:post-unbookmark": "a bookmark of a post",
    "engagement:post-unfollow": "following a post",
    "engagement:space-follow": "following a space",
    "engagement:space-unfollow": "following a space",
    "engagement:tag-follow": "following a tag",
    "engagement:tag-unfollow": "following a tag",
    "engagement:answer-accept": "a thread's state",
    "engagement:answer-unaccept": "a thread's state",
    "api:react_to_post": "a reaction on a post",
    "api:unreact_to_post": "a reaction on a post",
    "api:unreact_to_answer": "a reaction on an answer",
    "api:bookmark_post": "a bookmark of a post",
    "api:unbookmark_post": "a bookmark of a post",
    "api:follow_post": "following a post",
    "api:unfollow_post": "following a post",
    "api:unfollow_space": "following a space",
    "api:follow_tag": "following a tag",
    "api:unfollow_tag": "following a tag",
    "moderation:queue": "held posts of the spaces a member moderates",
    "moderation:review-item": "a held post",
    "moderation:review-item-action": "a moderator's write in a space",
    "moderation:flag": "flagging content of a space",
    "moderation:space-settings": "a space's moderation settings",
    "api:list_review_items": "held posts of the spaces a member moderates",
    "api:get_review_item": "a held post",
    "api:approve": "a moderator's write in a space",
    "api:hide": "a moderator's write in a space",
    "api:delete": "a moderator's write in a space",
    "api:edit": "a moderator's write in a space",
    "api:lock": "a moderator's write in a space",
    "api:unlock": "a moderator's write in a space",
    "api:move": "a moderator's write in two spaces",
    "api:warn": "a moderator's write in a space",
    "api:suspend": "a moderator's sanction",
    "api:flag": "flagging content of a space",
    "badges:badge-list": "badges and their holders' names (S4)",
    "badges:badge-detail": "a badge's holders' names (S4)",
    "api:get_badge": "a badge's holders' names (S4)",
    "api:list_holders": "a badge's holders' names (S4)",
    "rewards:catalog": "the rewards catalogue for signed-in members",
    "api:get_reward": "a reward for signed-in members",
    "contests:contest-list": "contests and their entries",
    "contests:contest-detail": "a contest's entries",
    "contests:contest-enter": "entering a contest",
    "contests:contest-withdraw": "withdrawing from a contest",
    "contests:contest-vote": "voting in a contest",
}
LISTED = {**PUBLIC, **STAFF_ONLY, **OWN_ONLY, **NOT_YET_COVERED}


def _patterns(
    patterns: list[URLPattern | URLResolver], route: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(route, name) of every pattern, the name qualified by its namespace ("" when unnamed)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _patterns(pattern.url_patterns, route + str(pattern.pattern), inner)
        elif pattern.name:
            yield (
                route + str(pattern.pattern),
                f"{namespace}:{pattern.name}" if namespace else pattern.name,
            )
        else:
            yield route + str(pattern.pattern), ""


def _key(route: str, name: str) -> str:
    """A pattern's name, or its route when it has none (Django's admin, the media files)."""
    return name or route


def every_pattern() -> dict[str, str]:
    return {_key(route, name): route for route, name in _patterns(get_resolver().url_patterns)}


def test_every_url_pattern_is_in_a_matrix_or_listed_with_its_reason() -> None:
    unaccounted = sorted(
        key
        for key, route in every_pattern().items()
        if key not in IN_A_MATRIX
        and key not in LISTED
        and not any(route.startswith(prefix) for prefix in PUBLIC_PREFIXES)
    )
    assert unaccounted == []


def test_every_listed_or_matrix_pattern_still_exists() -> None:
    existing = every_pattern()
    assert sorted(set(LISTED) - set(existing)) == []
    assert sorted(IN_A_MATRIX - set(existing)) == []
    assert (
        sorted(p for p in PUBLIC_PREFIXES if not any(r.startswith(p) for r in existing.values()))
        == []
    )


def test_no_pattern_is_both_in_a_matrix_and_listed_as_uncovered() -> None:
    """Once a matrix asks a pattern, its entry in the lists goes."""
    assert sorted(IN_A_MATRIX & set(LISTED)) == []


def test_the_older_matrices_still_ask_what_they_are_credited_with() -> None:
    missing = {
        (module, name)
        for module, asked in OLDER_MATRICES.items()
        for name, text in asked.items()
        if text not in (Path(__file__).parent / module).read_text()
    }
    assert missing == set()
