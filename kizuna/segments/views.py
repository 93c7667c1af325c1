"""Staff pages for segments: list, editor with a live count, detail, export, invite, delete."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.events.access import access_event, get_event_access
from kizuna.events.models import Event, EventStatus
from kizuna.events.permissions import events_visible_to
from kizuna.gamification.selectors import levels_for_members
from kizuna.identity.roles import Capability
from kizuna.identity.staff import StaffPageMixin
from kizuna.segments import selectors, services
from kizuna.segments.access import SegmentAccess, access_segment
from kizuna.segments.definitions import check_conditions, describe, numbered_errors
from kizuna.segments.forms import InviteForm, SegmentEditor, SegmentForm
from kizuna.segments.models import Match, Segment, Target
from kizuna.segments.permissions import can_manage_segments, segments_visible_to

LIST_PAGE_SIZE = 20
MEMBERS_PAGE_SIZE = 25
UPCOMING_EVENTS = 50


def _definition_in_words(access: SegmentAccess) -> list[str]:
    catalogue = services.catalogue_for(access.viewer)
    return [describe(condition, catalogue) for condition in selectors.conditions_of(access.segment)]


class SegmentListView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(
            request,
            segments_visible_to(request.user).order_by("name", "pk"),
            per_page=LIST_PAGE_SIZE,
        )
        rows = [(segment, selectors.count(segment)) for segment in page.object_list]
        context = {
            "page": page,
            "rows": rows,
            "can_manage_segments": can_manage_segments(request.user),
        }
        return render(request, "segments/segment_list/index.html", context)


# ------------------------------------------------------------------ the editor


def _preview(editor: SegmentEditor) -> dict[str, Any]:
    """The live count and the first matches, or why there is no count yet."""
    raw = editor.raw_conditions()
    checked = check_conditions(raw, target=editor.target, catalogue=editor.catalogue)
    if checked.errors:
        return {"errors": numbered_errors(checked.errors), "target": editor.target}
    matches = selectors.matching(editor.target, editor.match, checked.conditions)
    return {
        "count": matches.count(),
        "sample": selectors.sample(editor.target, editor.match, checked.conditions),
        "target": editor.target,
        "has_conditions": bool(checked.conditions),
    }


class EditorMixin(StaffPageMixin):
    required_capability = Capability.MANAGE_SEGMENTS
    template_name = "segments/segment_form/index.html"

    def render_editor(
        self,
        request: HttpRequest,
        *,
        form: SegmentForm,
        editor: SegmentEditor,
        segment: Segment | None,
        status: int = 200,
    ) -> HttpResponse:
        rows = editor.drawn_rows()
        context = {
            "form": form,
            "editor": editor,
            "rows": rows,
            "has_row_errors": any(item["row"].errors for item in rows),
            "field_groups": editor.field_groups(),
            "target_choices": Target.choices,
            "match_choices": Match.choices,
            "segment": segment,
            "preview": _preview(editor),
        }
        return render(request, self.template_name, context, status=status)

    def handle_post(
        self, request: HttpRequest, segment_access: SegmentAccess | None
    ) -> HttpResponse:
        segment = segment_access.segment if segment_access else None
        catalogue = services.catalogue_for(request.user)
        editor = SegmentEditor(catalogue, data=request.POST)
        if "_save" not in request.POST:
            # Add, remove, update, or a field chosen: the editor again with the change made.
            form = SegmentForm(initial=self._initial_from(request, editor))
            return self.render_editor(request, form=form, editor=editor, segment=segment)
        form = SegmentForm(request.POST)
        try:
            values = services.clean_segment(
                request.user,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
                target=request.POST.get("target", ""),
                match=request.POST.get("match", ""),
                conditions=editor.raw_conditions(),
            )
            if segment_access is None:
                saved = services.create_segment(self.member, values)
                messages.success(
                    request, _("The segment “%(name)s” has been saved.") % {"name": saved}
                )
            else:
                saved = services.update_segment(self.member, segment_access, values)
                messages.success(request, _("The segment has been saved."))
        except ValidationError as error:
            # Each condition's error goes on its row; the rest next to its field.
            checked = check_conditions(
                editor.raw_conditions(), target=editor.target, catalogue=catalogue
            )
            editor.show_errors(checked.errors)
            errors = dict(error.message_dict)
            about_conditions = errors.pop("conditions", [])
            if not checked.errors:
                editor.errors += about_conditions
            if errors:
                add_service_errors(form, ValidationError(errors))
            return self.render_editor(
                request, form=form, editor=editor, segment=segment, status=400
            )
        return redirect("segments:segment-detail", pk=saved.pk)

    @staticmethod
    def _initial_from(request: HttpRequest, editor: SegmentEditor) -> dict[str, Any]:
        return {
            "name": request.POST.get("name", ""),
            "description": request.POST.get("description", ""),
            "target": editor.target,
            "match": editor.match,
        }


class SegmentCreateView(EditorMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        editor = SegmentEditor(services.catalogue_for(request.user))
        form = SegmentForm(initial={"target": editor.target, "match": editor.match})
        return self.render_editor(request, form=form, editor=editor, segment=None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.handle_post(request, None)


class SegmentEditView(EditorMixin, View):
    def _access(self, request: HttpRequest, pk: int) -> SegmentAccess:
        access = access_segment(request.user, pk)
        if not access.can_manage:
            raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
        return access

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        segment = access.segment
        editor = SegmentEditor(services.catalogue_for(request.user), segment=segment)
        form = SegmentForm(
            initial={
                "name": segment.name,
                "description": segment.description,
                "target": segment.target,
                "match": segment.match,
            }
        )
        return self.render_editor(request, form=form, editor=editor, segment=segment)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.handle_post(request, self._access(request, pk))


class SegmentPreviewView(StaffPageMixin, View):
    """The live count while editing: the editor's form posted here on every change (HTMX)."""

    required_capability = Capability.MANAGE_SEGMENTS

    def post(self, request: HtmxHttpRequest) -> HttpResponse:
        editor = SegmentEditor(services.catalogue_for(request.user), data=request.POST)
        preview = _preview(editor)
        status = 400 if preview.get("errors") and not request.htmx else 200
        return render(
            request, "segments/includes/preview.html", {"preview": preview}, status=status
        )


# ------------------------------------------------------------------ detail, export, delete


class SegmentDetailView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_segment(request.user, pk)
        segment = access.segment
        if segment.target == Target.ACCOUNTS:
            page = paginate(
                request,
                selectors.account_rows(selectors.accounts_in(segment)),
                per_page=MEMBERS_PAGE_SIZE,
            )
            levels: dict[int, Any] = {}
        else:
            page = paginate(
                request,
                selectors.members_in(segment)
                .select_related("account_link__account")
                .order_by("display_name", "email", "pk"),
                per_page=MEMBERS_PAGE_SIZE,
            )
            levels = levels_for_members({member.pk for member in page.object_list})
        rows = [(item, levels.get(item.pk)) for item in page.object_list]
        context = {
            "segment": segment,
            "access": access,
            "sentences": _definition_in_words(access),
            "page": page,
            "rows": rows,
        }
        return render(request, "segments/segment_detail/index.html", context)


class SegmentExportView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_segment(request.user, pk)
        text = services.export_segment(self.member, access)
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="segment-{access.segment.pk}-{stamp}.csv"'
        )
        return response


class SegmentDeleteView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_SEGMENTS
    template_name = "segments/segment_delete/index.html"

    def _access(self, request: HttpRequest, pk: int) -> SegmentAccess:
        access = access_segment(request.user, pk)
        if not access.can_manage:
            raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
        return access

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        return render(request, self.template_name, {"segment": access.segment})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        name = access.segment.name
        services.delete_segment(self.member, access)
        messages.success(request, _("The segment “%(name)s” has been deleted.") % {"name": name})
        return redirect("segments:segment-list")


# ------------------------------------------------------------------ invite to an event


def _events_to_invite_to(request: HttpRequest) -> list[Event]:
    """Upcoming published events the viewer runs (only they may invite to them)."""
    upcoming = (
        events_visible_to(request.user)
        .filter(status=EventStatus.PUBLISHED, ends_at__gt=timezone.now())
        .select_related("space", "space__parent")
        .order_by("starts_at", "pk")[:UPCOMING_EVENTS]
    )
    return [event for event in upcoming if get_event_access(request.user, event).can_manage]


class SegmentInviteView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_SEGMENTS
    template_name = "segments/segment_invite/index.html"

    def _access(self, request: HttpRequest, pk: int) -> SegmentAccess:
        access = access_segment(request.user, pk)
        if not access.can_manage:
            raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
        return access

    def _render(
        self, request: HttpRequest, access: SegmentAccess, form: InviteForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "segment": access.segment,
            "form": form,
            "has_events": len(form.fields["event"].choices) > 1,  # type: ignore[attr-defined]
            "member_count": selectors.members_in(access.segment).count(),
        }
        return render(request, self.template_name, context, status=status)

    @staticmethod
    def _form(request: HttpRequest, data: Any = None) -> InviteForm:
        events = [
            (
                event.pk,
                f"{timezone.localtime(event.starts_at):%Y-%m-%d %H:%M} {event.title}",
            )
            for event in _events_to_invite_to(request)
        ]
        return InviteForm(data, events=events)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        return self._render(request, access, self._form(request))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, access, form, status=400)
        event_access = access_event(request.user, form.cleaned_data["event"])
        try:
            report = services.invite_to_event(self.member, access, event_access)
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, access, form, status=409)
        parts = [
            ngettext("%(count)s member invited.", "%(count)s members invited.", report.invited)
            % {"count": report.invited}
        ]
        if report.already:
            parts.append(
                ngettext(
                    "%(count)s was invited or registered already.",
                    "%(count)s were invited or registered already.",
                    report.already,
                )
                % {"count": report.already}
            )
        if report.no_access:
            parts.append(
                ngettext(
                    "%(count)s cannot see this event and was not invited.",
                    "%(count)s cannot see this event and were not invited.",
                    report.no_access,
                )
                % {"count": report.no_access}
            )
        if report.remaining:
            parts.append(
                ngettext(
                    "%(count)s more to go: send again to invite them.",
                    "%(count)s more to go: send again to invite them.",
                    report.remaining,
                )
                % {"count": report.remaining}
            )
        messages.success(request, " ".join(parts))
        return redirect("segments:segment-detail", pk=access.segment.pk)
