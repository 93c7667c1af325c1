from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from kizuna.core.pagination import paginate
from kizuna.spaces.permissions import get_space_access, listed_spaces


class SpaceListView(TemplateView):
    template_name = "spaces/space_list/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        spaces = listed_spaces(self.request.user).filter(parent__isnull=True)
        return {"page": paginate(self.request, spaces)}


class SpaceDetailView(TemplateView):
    template_name = "spaces/space_detail/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        space = get_object_or_404(listed_spaces(self.request.user), slug=kwargs["slug"])
        return {"space": space, "access": get_space_access(self.request.user, space)}
