"""Contest pages: the list, a contest with its entries and forms, and the staff pages.

Views parse input, call one service or selector, and render; every rule lives in services.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from kizuna.contests import selectors, services
from kizuna.contests.forms import ContestForm, EntryForm, VoteForm, WinnersForm, place_field_name
from kizuna.contests.models import Contest, ContestKind, ContestState, Entry
from kizuna.contests.permissions import (
    MANAGE_CONTESTS,
    can_enter_contest,
    can_manage_contests,
    can_vote_in_contest,
)
from kizuna.core.pagination import paginate
from kizuna.identity.staff import StaffPageMixin, signed_in_member

PAGE_SIZE = 20
ENTRIES_PER_PAGE = 20


def _visible_contest(request: HttpRequest, pk: int) -> Contest:
    contest = selectors.get_contest_for_viewer(request.user, pk)
    if contest is None:
        raise Http404
    return contest


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class ContestListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            tab = selectors.ContestTab(request.GET.get("tab", selectors.ContestTab.OPEN))
        except ValueError:
            tab = selectors.ContestTab.OPEN
        page = paginate(request, selectors.list_contests(tab=tab), per_page=PAGE_SIZE)
        context = {
            "page": page,
            "tab": tab.value,
            "tabs": [
                (selectors.ContestTab.OPEN.value, _("Open now")),
                (selectors.ContestTab.UPCOMING.value, _("Upcoming")),
                (selectors.ContestTab.PAST.value, _("Past")),
            ],
            "can_manage": can_manage_contests(request.user),
        }
        return render(request, "contests/contest_list/index.html", context)


def _case_studies(request: HttpRequest, contest: Contest) -> Any:
    if contest.kind != ContestKind.BEST_CASE_STUDY or not request.user.is_authenticated:
        return None
    return selectors.list_case_studies_of(signed_in_member(request))


def render_contest(
    request: HttpRequest,
    contest: Contest,
    *,
    entry_form: EntryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The contest page; a rejected entry comes back with its form and errors."""
    state = contest.state
    page = paginate(request, selectors.list_entries(contest), per_page=ENTRIES_PER_PAGE)
    my_entry = selectors.get_entry_of(request.user, contest)
    can_enter = can_enter_contest(request.user, contest, my_entry)
    if entry_form is None and can_enter:
        entry_form = EntryForm(case_studies=_case_studies(request, contest))
    my_vote = selectors.get_vote_of(request.user, contest)
    context = {
        "contest": contest,
        "state": state,
        "page": page,
        "entries": selectors.entries_for_viewer(request.user, contest, list(page.object_list)),
        "my_entry": my_entry,
        "my_vote_entry_id": my_vote.entry_id if my_vote is not None else None,
        "can_enter": can_enter,
        "entry_form": entry_form,
        "can_vote": can_vote_in_contest(request.user, contest),
        "winners": selectors.list_winners(contest) if state == ContestState.ANNOUNCED else [],
        "can_manage": can_manage_contests(request.user),
    }
    return render(request, "contests/contest_detail/index.html", context, status=status)


class ContestDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_contest(request, _visible_contest(request, pk))


class EnterContestView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contest = _visible_contest(request, pk)
        form = EntryForm(request.POST, case_studies=_case_studies(request, contest))
        if not form.is_valid():
            return render_contest(request, contest, entry_form=form, status=400)
        try:
            services.enter_contest(
                member=signed_in_member(request),
                contest=contest,
                statement=form.cleaned_data["statement"],
                post=form.cleaned_data.get("post"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render_contest(request, contest, entry_form=form, status=409)
        messages.success(request, _("Your entry is in. Good luck!"))
        return redirect("contests:contest-detail", pk=contest.pk)


class WithdrawEntryView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contest = _visible_contest(request, pk)
        try:
            services.withdraw_entry(member=signed_in_member(request), contest=contest)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your entry is withdrawn."))
        return redirect("contests:contest-detail", pk=contest.pk)


class VoteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contest = _visible_contest(request, pk)
        form = VoteForm(request.POST)
        entry = (
            Entry.objects.filter(pk=form.cleaned_data["entry"], contest=contest).first()
            if form.is_valid()
            else None
        )
        if entry is None:
            messages.error(request, _("This entry has been withdrawn."))
            return redirect("contests:contest-detail", pk=contest.pk)
        try:
            services.cast_vote(voter=signed_in_member(request), contest=contest, entry=entry)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request, _("Your vote is counted. You can change it until voting closes.")
            )
        return redirect("contests:contest-detail", pk=contest.pk)


# ---------------------------------------------------------------- staff


class ManageContestsView(StaffPageMixin, View):
    required_capability = MANAGE_CONTESTS

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(request, selectors.list_all_contests(), per_page=PAGE_SIZE)
        return render(request, "contests/manage_list/index.html", {"page": page})


def _details(data: dict[str, Any]) -> services.ContestDetails:
    return services.ContestDetails(
        title=data["title"],
        description=data["description"],
        kind=data["kind"],
        judging=data["judging"],
        opens_at=data["opens_at"],
        closes_at=data["closes_at"],
        winner_count=data["winner_count"],
        points_per_winner=data["points_per_winner"],
        badge=data["badge"],
    )


FORM_FIELDS = (
    "title",
    "description",
    "kind",
    "judging",
    "opens_at",
    "closes_at",
    "winner_count",
    "points_per_winner",
    "badge",
)


class ContestFormView(StaffPageMixin, View):
    """Create (no pk) or edit (pk) a contest."""

    required_capability = MANAGE_CONTESTS

    def _render(
        self, request: HttpRequest, form: ContestForm, contest: Contest | None, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "contest": contest}
        return render(request, "contests/contest_form/index.html", context, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        contest = None if pk is None else get_object_or_404(Contest, pk=pk)
        if contest is None:
            now = timezone.localtime().replace(second=0, microsecond=0)
            initial: dict[str, Any] = {
                "opens_at": now,
                "closes_at": now + timedelta(days=14),
                "judging": "staff",
            }
        else:
            initial = {name: getattr(contest, name) for name in FORM_FIELDS}
            initial["opens_at"] = timezone.localtime(contest.opens_at)
            initial["closes_at"] = timezone.localtime(contest.closes_at)
        return self._render(request, ContestForm(initial=initial), contest)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        contest = None if pk is None else get_object_or_404(Contest, pk=pk)
        form = ContestForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, contest, status=400)
        try:
            if contest is None:
                contest = services.create_contest(
                    actor=self.member, details=_details(form.cleaned_data)
                )
                messages.success(request, _("The contest is saved as a draft."))
            else:
                contest = services.update_contest(
                    actor=self.member, contest=contest, details=_details(form.cleaned_data)
                )
                messages.success(request, _("The contest is saved."))
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, form, contest, status=400)
        return redirect("contests:manage-contest", pk=contest.pk)


class ManageContestView(StaffPageMixin, View):
    """One contest for staff: its state, the actions it allows, and the winners."""

    required_capability = MANAGE_CONTESTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contest = get_object_or_404(Contest.objects.select_related("badge"), pk=pk)
        return self.render_page(request, contest)

    def render_page(
        self,
        request: HttpRequest,
        contest: Contest,
        winners_form: WinnersForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        state = contest.state
        winners = selectors.list_winners(contest)
        judging_open = state == ContestState.JUDGING
        candidates = (
            selectors.candidates_for(contest) if judging_open and not contest.is_member_vote else []
        )
        if winners_form is None and candidates:
            initial = {place_field_name(w.place): w.member_id for w in winners}
            winners_form = WinnersForm(
                initial=initial, candidates=candidates, places=contest.winner_count
            )
        context = {
            "contest": contest,
            "state": state,
            "winners": winners,
            "candidates": candidates,
            "winners_form": winners_form,
            "vote_ranking": (
                selectors.vote_ranking(contest)
                if contest.is_member_vote
                and state in (ContestState.JUDGING, ContestState.ANNOUNCED)
                else []
            ),
            "entry_count": contest.entries.count(),
        }
        return render(request, "contests/manage_contest/index.html", context, status=status)


ACTIONS = {
    "publish": (services.publish_contest, gettext_lazy("The contest is published.")),
    "open": (services.open_contest_now, gettext_lazy("The contest is open.")),
    "close": (services.close_contest_now, gettext_lazy("The contest is closed.")),
    "announce": (services.announce_winners, gettext_lazy("The winners are announced.")),
}


class ContestActionView(StaffPageMixin, View):
    required_capability = MANAGE_CONTESTS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        contest = get_object_or_404(Contest, pk=pk)
        service, done = ACTIONS[action]
        try:
            service(actor=self.member, contest=contest)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, str(done))
        return redirect("contests:manage-contest", pk=contest.pk)


class ChooseWinnersView(ManageContestView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contest = get_object_or_404(Contest.objects.select_related("badge"), pk=pk)
        form = WinnersForm(
            request.POST,
            candidates=selectors.candidates_for(contest),
            places=contest.winner_count,
        )
        if not form.is_valid():
            return self.render_page(request, contest, form, status=400)
        try:
            services.choose_winners(
                actor=self.member, contest=contest, member_ids=form.chosen_member_ids()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_page(request, contest, form, status=409)
        messages.success(request, _("The winners are saved. Announce them when you are ready."))
        return redirect(reverse("contests:manage-contest", kwargs={"pk": contest.pk}))
