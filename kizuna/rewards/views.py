"""The rewards pages: the catalog, the redeem confirm step, the member's redemptions and the
staff pages. Views parse input, call one service or selector, and render."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.gamification.selectors import get_balance
from kizuna.identity.staff import StaffPageMixin, signed_in_member
from kizuna.rewards import services
from kizuna.rewards.forms import DecisionForm, QueueFilterForm, RedeemForm, RewardForm
from kizuna.rewards.models import Redemption, RedemptionStatus, Reward
from kizuna.rewards.permissions import MANAGE_REWARDS
from kizuna.rewards.selectors import (
    list_all_rewards,
    list_catalog_rewards,
    redemption_queue,
    redemptions_for_member,
)

PAGE_SIZE = 25


def _template(request: HtmxHttpRequest, name: str) -> str:
    return f"rewards/{name}/partial.html" if request.htmx else f"rewards/{name}/index.html"


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a successful POST: a full redirect, or HX-Redirect for HTMX."""
    if request.htmx:
        # No content: htmx follows HX-Redirect and has nothing to swap.
        return HttpResponseClientRedirect(url, status=204)
    return redirect(url)


class CatalogView(LoginRequiredMixin, View):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        member = signed_in_member(request)
        page = paginate(request, list_catalog_rewards(), per_page=PAGE_SIZE)
        context = {"page": page, "balance": get_balance(member)}
        return render(request, _template(request, "catalog"), context)


class RedeemView(LoginRequiredMixin, View):
    """GET shows the confirm step with a fresh token; POST redeems once per token."""

    def _render(
        self, request: HtmxHttpRequest, reward: Reward, form: RedeemForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "reward": reward,
            "form": form,
            "balance": get_balance(signed_in_member(request)),
        }
        return render(request, _template(request, "redeem"), context, status=status)

    def get(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        reward = get_object_or_404(list_catalog_rewards(), pk=pk)
        form = RedeemForm(initial={"token": uuid.uuid4().hex})
        return self._render(request, reward, form)

    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        reward = get_object_or_404(Reward, pk=pk)
        form = RedeemForm(request.POST)
        if not form.is_valid():
            return self._render(request, reward, RedeemForm(initial={"token": uuid.uuid4().hex}))
        try:
            services.redeem_reward(
                member=signed_in_member(request),
                reward=reward,
                idempotency_key=form.cleaned_data["token"],
            )
        except services.RewardError as error:
            form.add_error(None, error)
            return self._render(request, reward, form, status=409)
        messages.success(request, _("Your redemption is recorded."))
        return _redirect(request, reverse("rewards:mine"))


class MyRedemptionsView(LoginRequiredMixin, View):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        member = signed_in_member(request)
        page = paginate(request, redemptions_for_member(member), per_page=PAGE_SIZE)
        return render(request, _template(request, "mine"), {"page": page})


class CancelRedemptionView(LoginRequiredMixin, View):
    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        member = signed_in_member(request)
        redemption = get_object_or_404(redemptions_for_member(member), pk=pk)
        try:
            services.cancel_redemption(member=member, redemption=redemption)
        except services.RewardError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your redemption is cancelled and the points are back."))
        return _redirect(request, reverse("rewards:mine"))


class ManageRewardsView(StaffPageMixin, View):
    required_capability = MANAGE_REWARDS

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        page = paginate(request, list_all_rewards(), per_page=PAGE_SIZE)
        return render(request, _template(request, "manage"), {"page": page})


class RewardFormView(StaffPageMixin, View):
    """Create (no pk) or edit (pk) a reward."""

    required_capability = MANAGE_REWARDS

    def _reward(self, pk: int | None) -> Reward | None:
        return None if pk is None else get_object_or_404(Reward, pk=pk)

    def _render(
        self, request: HttpRequest, form: RewardForm, reward: Reward | None
    ) -> HttpResponse:
        return render(request, "rewards/reward_form/index.html", {"form": form, "reward": reward})

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        reward = self._reward(pk)
        initial: dict[str, Any] = {}
        if reward is not None:
            initial = {name: getattr(reward, name) for name in services.REWARD_FIELDS}
        return self._render(request, RewardForm(initial=initial or None), reward)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        reward = self._reward(pk)
        form = RewardForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, reward)
        if reward is None:
            services.create_reward(actor=self.member, **form.cleaned_data)
            messages.success(request, _("The reward is added to the catalog."))
        else:
            services.update_reward(actor=self.member, reward=reward, **form.cleaned_data)
            messages.success(request, _("The reward is saved."))
        return redirect("rewards:manage")


class RedemptionQueueView(StaffPageMixin, View):
    required_capability = MANAGE_REWARDS

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        # The queue opens on what waits for a decision, and the status filter says so.
        form = QueueFilterForm(request.GET or None, initial={"status": RedemptionStatus.REQUESTED})
        status, reward_id = RedemptionStatus.REQUESTED.value, None
        if form.is_bound and form.is_valid():
            status = form.cleaned_data["status"]
            reward = form.cleaned_data["reward"]
            reward_id = reward.pk if reward is not None else None
        page = paginate(
            request, redemption_queue(status=status, reward_id=reward_id), per_page=PAGE_SIZE
        )
        context = {"form": form, "page": page, "decision_form": DecisionForm()}
        return render(request, _template(request, "queue"), context)


DECISIONS = ("approve", "reject", "fulfil")


class RedemptionDecisionView(StaffPageMixin, View):
    required_capability = MANAGE_REWARDS

    def post(self, request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in DECISIONS:
            raise Http404
        redemption = get_object_or_404(Redemption, pk=pk)
        form = DecisionForm(request.POST)
        text = form.cleaned_data["text"] if form.is_valid() else ""
        try:
            if action == "approve":
                services.approve_redemption(actor=self.member, redemption=redemption)
            elif action == "reject":
                services.reject_redemption(actor=self.member, redemption=redemption, reason=text)
            else:
                services.fulfil_redemption(actor=self.member, redemption=redemption, note=text)
        except services.RewardError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The redemption is updated."))
        next_url = reverse("rewards:queue")
        if query := request.POST.get("query", ""):
            next_url = f"{next_url}?{query}"
        return _redirect(request, next_url)
