"""The entries that fetch a play or a play rule and authorise the viewer, once per request."""

from django.http import Http404

from kizuna.identity.permissions import Viewer
from kizuna.plays.models import Play, PlayRule
from kizuna.plays.permissions import check_can_configure_rules, check_can_view_plays


def access_play(viewer: Viewer, pk: int) -> Play:
    """The play with this id for someone who may see plays (PermissionDenied otherwise, before
    anything is looked up, so ids tell nothing); Http404 when there is none."""
    check_can_view_plays(viewer)
    play = (
        Play.objects.select_related("rule", "account", "member", "owner", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if play is None:
        raise Http404
    return play


def access_play_rule(viewer: Viewer, pk: int) -> PlayRule:
    """The rule with this id for someone who may configure rules; Http404 when there is none."""
    check_can_configure_rules(viewer)
    rule = PlayRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule
