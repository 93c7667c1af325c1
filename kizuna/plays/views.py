"""Staff pages for plays: the work queue (done, snooze, dismiss, by HTMX or plain forms) and the
rules page (thresholds, on/off, "evaluate now")."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.identity.permissions import Viewer, can_open_staff_pages
from kizuna.identity.staff import StaffPageMixin
from kizuna.plays import services
from kizuna.plays.access import access_play, access_play_rule
from kizuna.plays.forms import DismissForm, QueueFilterForm, RuleForm, SnoozeForm
from kizuna.plays.models import Play, PlayRule
from kizuna.plays.permissions import (
    can_configure_rules,
    can_see_tiers,
    can_view_plays,
    can_work_plays,
)
from kizuna.plays.selectors import (
    OWNER_ANYONE,
    OWNER_MINE,
    mine_by_default,
    play_owners,
    play_queue,
)

QUEUE_TEMPLATE = "plays/queue/index.html"
QUEUE_PARTIAL = "plays/queue/partial.html"
CARD_TEMPLATE = "plays/queue/card.html"
RULES_TEMPLATE = "plays/rules/index.html"
ACTIONS = ("done", "snooze", "dismiss")


class PlaysPageMixin(StaffPageMixin):
    """StaffPageMixin (sign-in, staff, TOTP) and then `allows(viewer)` for pages that need
    more than one capability or one of two."""

    def allows(self, viewer: Viewer) -> bool:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if can_open_staff_pages(request.user) and not self.allows(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _queue_url(query: str) -> str:
    url = reverse("plays:queue")
    return f"{url}?{query}" if query else url


class PlayQueueView(PlaysPageMixin, View):
    def allows(self, viewer: Viewer) -> bool:
        return can_view_plays(viewer)

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        viewer = self.member
        form = QueueFilterForm(
            request.GET or None,
            owners=list(play_owners()),
            rules=list(PlayRule.objects.all()),
            default_owner=OWNER_MINE if mine_by_default(viewer) else OWNER_ANYONE,
        )
        filters = form.filters()
        page = paginate(request, play_queue(viewer, **filters))
        context = {
            "form": form,
            "page": page,
            "filters": filters,
            "query": request.GET.urlencode(),
            "can_work": can_work_plays(viewer),
            "can_see_tiers": can_see_tiers(viewer),
            "can_configure": can_configure_rules(viewer),
            "tomorrow": timezone.localdate() + dt.timedelta(days=1),
        }
        template = QUEUE_PARTIAL if request.htmx and not request.htmx.boosted else QUEUE_TEMPLATE
        return render(request, template, context)


class PlayActionView(PlaysPageMixin, View):
    """POST done / snooze / dismiss. HTMX gets the play's card back; a plain form goes back to
    the queue with its filters (or to the page in `next`, e.g. the Customer 360)."""

    def allows(self, viewer: Viewer) -> bool:
        return can_work_plays(viewer)

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        return redirect("plays:queue")

    def post(self, request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        play = access_play(self.member, pk)
        snooze_form = SnoozeForm(request.POST if action == "snooze" else None)
        dismiss_form = DismissForm(request.POST if action == "dismiss" else None)
        try:
            play, message = self._act(action, play, snooze_form, dismiss_form)
        except _FormInvalid:
            return self._failed(request, play, snooze_form, dismiss_form, action)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(snooze_form if action == "snooze" else dismiss_form, error)
                return self._failed(request, play, snooze_form, dismiss_form, action)
            # Closed meanwhile (by someone else, or resolved by the evaluation).
            notice = " ".join(error.messages)
            play.refresh_from_db()
            if request.htmx:
                return self._card(request, play, notice=notice)
            messages.error(request, notice)
            return redirect(self._next(request))
        if request.htmx:
            return self._card(request, play, done=message)
        messages.success(request, message)
        return redirect(self._next(request))

    def _act(
        self, action: str, play: Play, snooze_form: SnoozeForm, dismiss_form: DismissForm
    ) -> tuple[Play, str]:
        if action == "done":
            return services.mark_play_done(actor=self.member, play=play), _("The play is done.")
        if action == "snooze":
            if not snooze_form.is_valid():
                raise _FormInvalid
            until = snooze_form.cleaned_data["until"]
            play = services.snooze_play(actor=self.member, play=play, until=until)
            return play, _("The play is snoozed until %(date)s.") % {"date": until.isoformat()}
        if not dismiss_form.is_valid():
            raise _FormInvalid
        reason = dismiss_form.cleaned_data["reason"]
        play = services.dismiss_play(actor=self.member, play=play, reason=reason)
        return play, _("The play is dismissed.")

    def _next(self, request: HttpRequest) -> str:
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return _queue_url(request.POST.get("query", ""))

    def _failed(
        self,
        request: HtmxHttpRequest,
        play: Play,
        snooze_form: SnoozeForm,
        dismiss_form: DismissForm,
        action: str,
    ) -> HttpResponse:
        if request.htmx:
            return self._card(
                request,
                play,
                snooze_form=snooze_form,
                dismiss_form=dismiss_form,
                open_action=action,
            )
        # Without JavaScript: the play alone, with its forms and the error, to correct and resend.
        context = self._card_context(request, play)
        context.update(
            snooze_form=snooze_form,
            dismiss_form=dismiss_form,
            open_action=action,
            query=request.POST.get("query", ""),
            next=request.POST.get("next", ""),
        )
        return render(request, "plays/play/index.html", context, status=400)

    def _card_context(self, request: HttpRequest, play: Play) -> dict[str, Any]:
        return {
            "play": play,
            "can_work": True,
            "can_see_tiers": can_see_tiers(request.user),
            "tomorrow": timezone.localdate() + dt.timedelta(days=1),
            "query": request.POST.get("query", ""),
            "next": request.POST.get("next", ""),
        }

    def _card(
        self,
        request: HttpRequest,
        play: Play,
        *,
        notice: str = "",
        done: str = "",
        snooze_form: SnoozeForm | None = None,
        dismiss_form: DismissForm | None = None,
        open_action: str = "",
    ) -> HttpResponse:
        """The play's card; always 200, so htmx swaps it in with its errors or notice."""
        context = self._card_context(request, play)
        context.update(
            notice=notice,
            done=done,
            snooze_form=snooze_form,
            dismiss_form=dismiss_form,
            open_action=open_action,
        )
        return render(request, CARD_TEMPLATE, context)


class _FormInvalid(Exception):
    """A play's form did not validate: answer it with its errors."""


# Rules ------------------------------------------------------------------------------------------


def _rules_context(
    request: HttpRequest, bound: RuleForm | None = None, result: str = ""
) -> dict[str, Any]:
    rules = list(PlayRule.objects.all())
    viewer = request.user
    forms = [
        bound
        if bound is not None and bound.rule.pk == rule.pk
        else RuleForm(rule=rule, viewer=viewer)
        for rule in rules
    ]
    return {"forms": forms, "result": result}


class PlayRulesView(PlaysPageMixin, View):
    def allows(self, viewer: Viewer) -> bool:
        return can_configure_rules(viewer)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, RULES_TEMPLATE, _rules_context(request))


class PlayRuleEditView(PlaysPageMixin, View):
    def allows(self, viewer: Viewer) -> bool:
        return can_configure_rules(viewer)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("plays:rules")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = access_play_rule(self.member, pk)
        form = RuleForm(request.POST, rule=rule, viewer=self.member)
        if form.is_valid():
            try:
                rule = services.update_play_rule(actor=self.member, rule=rule, values=form.values())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("“%(rule)s” is saved. The next evaluation applies it.")
                    % {"rule": rule.display_title},
                )
                return redirect(f"{reverse('plays:rules')}#rule-{rule.pk}")
        return render(request, RULES_TEMPLATE, _rules_context(request, bound=form), status=400)


class EvaluateNowView(PlaysPageMixin, View):
    def allows(self, viewer: Viewer) -> bool:
        return can_configure_rules(viewer)

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("plays:rules")

    def post(self, request: HttpRequest) -> HttpResponse:
        result = services.run_evaluation_now(actor=self.member)
        opened = ngettext("%(count)s play opened", "%(count)s plays opened", result.opened) % {
            "count": result.opened
        }
        closed = ngettext("%(count)s closed", "%(count)s closed", result.closed) % {
            "count": result.closed
        }
        summary = _("%(opened)s, %(closed)s.") % {"opened": opened, "closed": closed}
        if result.woken:
            summary += " " + ngettext(
                "%(count)s snoozed play came back.",
                "%(count)s snoozed plays came back.",
                result.woken,
            ) % {"count": result.woken}
        messages.success(request, summary)
        return redirect("plays:rules")
