"""Thin pages: my recognition, leaderboards, leaderboard opt-out and the staff points rules."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.numbers import parse_positive_integer
from kizuna.core.pagination import paginate
from kizuna.gamification.forms import (
    LeaderboardFilterForm,
    LeaderboardVisibilityForm,
    PointRuleForm,
)
from kizuna.gamification.models import PointRule
from kizuna.gamification.permissions import MANAGE_POINT_RULES
from kizuna.gamification.selectors import (
    LeaderboardPeriod,
    active_point_rules,
    get_balance,
    get_level_progress,
    leaderboard,
    leaderboards_rank_staff,
    ledger_for_member,
    list_levels,
    shows_on_leaderboards,
)
from kizuna.gamification.services import (
    LIKE_PAIR_WINDOW,
    LIKES_PER_PAIR_IN_WINDOW,
    set_leaderboard_visibility,
    update_point_rule,
)
from kizuna.gamification.templatetags.gamification import remember_member_levels
from kizuna.identity.models import Member
from kizuna.identity.staff import StaffPageMixin, signed_in_member
from kizuna.spaces.permissions import spaces_with_visible_content

LEADERBOARD_PAGE_SIZE = 50
# Deep pages walk the whole board; nobody reads past a hundred thousand members.
MAX_LEADERBOARD_PAGE = 2000


class MyRecognitionView(LoginRequiredMixin, View):
    """Lifetime points, level, what is left to the next level, how points are earned, history."""

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        member = signed_in_member(request)
        context: dict[str, Any] = {
            "page": paginate(request, ledger_for_member(member)),
            "member": member,
        }
        if request.htmx:
            return render(request, "gamification/my_recognition/partial.html", context)
        context.update(
            {
                "balance": get_balance(member),
                "progress": get_level_progress(member),
                "levels": list_levels(),
                "rules": active_point_rules(),
                "likes_per_pair": LIKES_PER_PAIR_IN_WINDOW,
                "like_window_days": LIKE_PAIR_WINDOW.days,
                # Staff whom the boards leave off are told so rather than offered a choice.
                "left_off_as_staff": bool(member.staff_role) and not leaderboards_rank_staff(),
                "visibility_form": LeaderboardVisibilityForm(
                    initial={"show_on_leaderboards": shows_on_leaderboards(member)}
                ),
            }
        )
        return render(request, "gamification/my_recognition/index.html", context)


class LeaderboardVisibilityView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        member = signed_in_member(request)
        form = LeaderboardVisibilityForm(request.POST)
        form.is_valid()  # a missing checkbox is simply "off"
        show = bool(form.cleaned_data.get("show_on_leaderboards"))
        set_leaderboard_visibility(member=member, show=show)
        messages.success(
            request,
            _("You are shown on leaderboards.") if show else _("You are hidden from leaderboards."),
        )
        return redirect("gamification:my-recognition")


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything but a page number gives the first page."""
    return min(parse_positive_integer(request.GET.get("page")) or 1, MAX_LEADERBOARD_PAGE)


class LeaderboardView(View):
    """Lifetime points all time, or points earned this month; community-wide or in one space."""

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        form = LeaderboardFilterForm(request.GET)
        filters = form.cleaned_data if form.is_valid() else {}
        period = LeaderboardPeriod(filters.get("period") or LeaderboardPeriod.ALL)
        visible_spaces = spaces_with_visible_content(request.user)
        space = None
        if filters.get("space"):
            space = visible_spaces.filter(slug=filters["space"]).first()
            if space is None:
                raise Http404
        number = _page_number(request)
        board = leaderboard(
            viewer=request.user,
            period=period,
            space=space,
            offset=(number - 1) * LEADERBOARD_PAGE_SIZE,
            limit=LEADERBOARD_PAGE_SIZE,
        )
        members = Member.objects.in_bulk([row.member_id for row in board.rows])
        remember_member_levels(request, {row.member_id for row in board.rows})
        start = (number - 1) * LEADERBOARD_PAGE_SIZE + 1
        context = {
            "page_number": number,
            "has_next": board.has_more,
            "rows": [
                {"rank": start + index, "member": members.get(row.member_id), "total": row.total}
                for index, row in enumerate(board.rows)
            ],
            "period": period.value,
            "space": space,
            "spaces": list(visible_spaces.order_by("name")) if not request.htmx else [],
            "ranks_staff": leaderboards_rank_staff(),
        }
        template = "partial.html" if request.htmx else "index.html"
        return render(request, f"gamification/leaderboard/{template}", context)


class StaffPointRulesView(StaffPageMixin, View):
    required_capability = MANAGE_POINT_RULES

    def get(self, request: HttpRequest) -> HttpResponse:
        rules = PointRule.objects.order_by("key")
        return render(request, "gamification/staff_point_rules/index.html", {"rules": rules})


class StaffPointRuleEditView(StaffPageMixin, View):
    required_capability = MANAGE_POINT_RULES
    template_name = "gamification/staff_point_rule_edit/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = get_object_or_404(PointRule, pk=pk)
        form = PointRuleForm(
            initial={
                "points": rule.points,
                "daily_cap": rule.daily_cap,
                "is_active": rule.is_active,
            }
        )
        return render(request, self.template_name, {"rule": rule, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = get_object_or_404(PointRule, pk=pk)
        form = PointRuleForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"rule": rule, "form": form}, status=400)
        update_point_rule(
            actor=signed_in_member(request),
            rule=rule,
            points=form.cleaned_data["points"],
            daily_cap=form.cleaned_data["daily_cap"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("The points rule was saved."))
        return redirect("gamification:staff-point-rules")
