"""The home page for each person (visitor, prospect, member, staff), the list of questions a
member could answer, and the staff console's hub."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from kizuna.cohorts.selectors import programmes_for
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.events.selectors import upcoming_registrations_of
from kizuna.home import selectors
from kizuna.identity.permissions import is_signed_in
from kizuna.identity.staff import StaffPageMixin, signed_in_member

FEED_PAGE_SIZE = 10
QUESTIONS_PAGE_SIZE = 20
HOME_EVENTS = 3
HOME_PROGRAMMES = 3


class HomeView(View):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        if not is_signed_in(request.user):
            visitor = selectors.visitor_home(request.user)
            return render(request, "home/visitor/index.html", {"home": visitor})
        member = signed_in_member(request)
        if request.htmx:
            # Paging the feed swaps the feed alone; the rest of the page stays as it is.
            feed = paginate(request, selectors.member_feed(member), per_page=FEED_PAGE_SIZE)
            return render(request, "home/member/feed.html", {"feed": feed})
        home = selectors.member_home(member)
        feed = paginate(request, home.feed, per_page=FEED_PAGE_SIZE)
        events = upcoming_registrations_of(member)[:HOME_EVENTS]
        # Most members never join a learning programme, so the card (and its link) is shown only
        # to those in one; asking here rather than in the header keeps every other page a query lighter.
        programmes = list(programmes_for(member)[:HOME_PROGRAMMES])
        context = {"home": home, "feed": feed, "events": events, "programmes": programmes}
        return render(request, "home/member/index.html", context)


class QuestionsView(View):
    """Every question a member could answer, in the order the home page gives its first few."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        questions = selectors.questions_to_answer(signed_in_member(request))
        context = {"page": paginate(request, questions, per_page=QUESTIONS_PAGE_SIZE)}
        return render(request, "home/questions/index.html", context)


class StaffHomeView(StaffPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"console": selectors.staff_console(self.member)}
        return render(request, "home/staff/index.html", context)
