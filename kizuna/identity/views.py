from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from kizuna.identity.models import Member


class MemberProfileView(TemplateView):
    template_name = "identity/member_profile/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"member": get_object_or_404(Member, pk=kwargs["pk"], is_active=True)}


class StaffHomeView(TemplateView):
    template_name = "identity/staff_home/index.html"
