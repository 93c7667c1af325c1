"""Who runs contests, who sees them, and who may enter and vote.

Community managers and administrators run contests, like rewards and badges. Everyone
sees a published contest; a draft only those who run contests. Signed-in members enter
an open contest that takes entries once, and vote while a member-voted contest is open;
the services hold the same rules under row locks when the entry or vote is written.
"""

from kizuna.contests.models import Contest, ContestState, Entry
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in
from kizuna.identity.roles import Capability

# No contest-specific capability exists; MANAGE_SPACES is held by exactly the
# community managers and administrators.
MANAGE_CONTESTS = Capability.MANAGE_SPACES


def can_manage_contests(viewer: Viewer) -> bool:
    return has_capability(viewer, MANAGE_CONTESTS)


def can_view_contest(viewer: Viewer, contest: Contest) -> bool:
    return contest.published_at is not None or can_manage_contests(viewer)


def can_enter_contest(viewer: Viewer, contest: Contest, own_entry: Entry | None) -> bool:
    """Whether the contest page offers the entry form: open, taking entries, not yet entered."""
    return (
        contest.state == ContestState.OPEN
        and contest.takes_entries
        and is_signed_in(viewer)
        and own_entry is None
    )


def can_vote_in_contest(viewer: Viewer, contest: Contest) -> bool:
    return contest.state == ContestState.OPEN and contest.is_member_vote and is_signed_in(viewer)
