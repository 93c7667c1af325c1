"""The entry that fetches a roster row and authorises the viewer, once per request."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.permissions import can_view_roster
from kizuna.identity.permissions import Viewer


def access_ambassador(viewer: Viewer, pk: int) -> Ambassador:
    """The roster row with this id; PermissionDenied for those who may not see the roster,
    Http404 when there is no such row."""
    if not can_view_roster(viewer):
        raise PermissionDenied
    ambassador = (
        Ambassador.objects.select_related("member", "member__account_link__account")
        .filter(pk=pk)
        .first()
    )
    if ambassador is None:
        raise Http404
    return ambassador
