"""The one page every space-scoped URL answers when the viewer may not read the space's content.

The space's own page, its feed, its composer and anything else under /spaces/<slug>/ answer
alike: the space's public face and why its content is hidden (403), or a 404 where even
the space's name must stay unconfirmed.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from kizuna.spaces.permissions import Denial, SpaceAccess


def space_denied_page(request: HttpRequest, access: SpaceAccess) -> HttpResponse:
    """The space's public face and why its content is hidden.

    An archived space, or a sub-group of an archived parent, is a 404: archiving takes the
    space (and with it its sub-groups) out of the community for all who do not manage spaces.
    """
    space = access.space
    if access.denial == Denial.ARCHIVED:
        raise Http404
    parent = space.parent
    if access.denial == Denial.PARENT_REQUIRED and parent is not None and parent.archived_at:
        raise Http404
    detail_url = reverse("spaces:space-detail", args=[space.slug])
    context = {
        "space": space,
        "access": access,
        "denial": access.denial,
        "parent": parent,
        "sign_in_url": f"{reverse('account_login')}?next={detail_url}",
        "sign_up_url": f"{reverse('account_signup')}?next={detail_url}",
    }
    return render(request, "spaces/space_denied/index.html", context, status=403)
