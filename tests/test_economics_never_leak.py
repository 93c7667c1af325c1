"""A canary for customer economics: marker values that no one without the right may ever read.

The world holds two accounts whose every economic value is a figure or a text found nowhere
else (ARR, MRR, LTV, an ARR before its change, a custom field's value, the reason for a tier
set by hand, the reason a play was dismissed, an ARR segment's name and threshold, the ARR of an
account a CRM import created). Then anonymous visitors, a customer, a member of no customer and
the staff roles that do not see economics (community manager, moderator, marketing, product
manager) ask for every page of customers, crm, segments, plays, ambassadors and success (from
the URL resolver, with each parameter filled from the world, plain, as HTMX and posted empty),
the links those pages offer (filters, CSV exports, pages), every API operation of those apps
(from the OpenAPI document, called with its method), the member pages a person walks through
(home, directory, the customer's profile, a search for the company name, notifications) and,
for staff, the staff home and the audit log. No marker may appear in any answer.

So that the test can fail, an administrator walking the same URLs meets every marker, and a
marketer granted customer economics (Member.granted_capabilities) then reads the ARR on the
Customer 360. A new page or API operation of these apps is asked automatically; one with a path
parameter the world cannot fill fails here until `PAGE_PARAMETERS` / `API_PARAMETERS` learn it.
"""

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction
from django.http import HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.tests.factories import AmbassadorFactory
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import csv_bytes, import_file
from kizuna.customers.models import (
    Contact,
    CustomerAccount,
    CustomField,
    MemberAccountLink,
    Plan,
)
from kizuna.customers.services import save_account, save_custom_field
from kizuna.customers.tier_services import set_account_tier
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.plays.models import Play, PlayRule
from kizuna.plays.services import dismiss_play
from kizuna.plays.tests.factories import PlayFactory, rule
from kizuna.segments.models import Segment
from kizuna.segments.services import clean_segment, create_segment
from tests.api.conftest import make_key

pytestmark = pytest.mark.django_db

APPS = ("customers", "crm", "segments", "plays", "ambassadors", "success")
API_OPERATION_PREFIXES = tuple(f"kizuna_{app}_" for app in APPS)

COMPANY = "株式会社カナリア商事"
OTHER_COMPANY = "カナリア物流株式会社"
IMPORTED_COMPANY = "カナリア第三工業株式会社"
DOMAIN = "canary-shoji.co.jp"


def _figure(minor: int) -> list[str]:
    """How a yen figure may be written: the digits (commas are removed before searching) and
    the 万/億 forms a Japanese page might use."""
    man = minor // 10_000
    forms = [str(minor), f"{man}万"]
    if minor >= 100_000_000:
        forms.append(f"{minor // 100_000_000}億{man % 10_000}万")
    return forms


# Every marker of the world, by what it is. Figures are compared with commas removed.
ARR_A, MRR_A, LTV_A, ARR_A_BEFORE = 987_654_321, 82_304_517, 3_907_162_845, 876_543_219
ARR_B, MRR_B, LTV_B = 564_738_291, 47_061_524, 1_693_214_873
ARR_THRESHOLD, ARR_IMPORTED = 555_444_333, 192_837_465
CUSTOM_VALUE = "CANARY-CUSTOM-7Q3X"
TIER_REASON = "CANARY-TIER-REASON-K2WB"
DISMISS_REASON = "CANARY-DISMISS-P9LM"
SEGMENT_NAME = "CANARY-SEGMENT-ARR-V4HT"

MARKERS: dict[str, list[str]] = {
    "ARR of the account": _figure(ARR_A),
    "MRR of the account": _figure(MRR_A),
    "LTV of the account": _figure(LTV_A),
    "ARR before its change (history)": _figure(ARR_A_BEFORE),
    "ARR of the other account": _figure(ARR_B),
    "MRR of the other account": _figure(MRR_B),
    "LTV of the other account": _figure(LTV_B),
    "ARR threshold of the segment": _figure(ARR_THRESHOLD),
    "ARR of the imported account": _figure(ARR_IMPORTED),
    "custom field value": [CUSTOM_VALUE],
    "reason for the tier set by hand": [TIER_REASON],
    "reason the play was dismissed": [DISMISS_REASON],
    "name of the ARR segment": [SEGMENT_NAME],
}


def markers_in(text: str) -> set[str]:
    """The names of the markers found in `text` (an HTML page, JSON, a CSV or an email)."""
    plain = html.unescape(text).replace(",", "").replace("，", "")
    return {name for name, forms in MARKERS.items() if any(form in plain for form in forms)}


@dataclass
class World:
    admin: Member
    csm: Member
    account: CustomerAccount
    other_account: CustomerAccount
    customer: Member
    plan: Plan
    custom_field: CustomField
    contact: Contact
    play: Play
    play_rule: PlayRule
    arr_segment: Segment
    open_segment: Segment
    members_segment: Segment
    job: ImportJob
    ambassador: Ambassador


# The migration that makes the default play rules (a transactional test before this one may
# have flushed them).
_default_rules = import_module("kizuna.plays.migrations.0002_default_rules")


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> World:
    """The world built as staff build it: through the services, with history and audit entries."""
    _default_rules.create_default_rules(apps, None)
    admin = StaffFactory(staff_role="administrator", display_name="管理 太郎")
    csm = StaffFactory(staff_role="csm", display_name="佐藤 花子", email="csm@vendor.example.jp")
    plan = Plan.objects.create(name="エンタープライズ", rank=3)
    custom_field = save_custom_field(actor=admin, label="Contract note", kind="text")
    customer = MemberFactory(email=f"hanako@{DOMAIN}", display_name="鈴木 花子")
    account = save_account(
        actor=admin,
        name=COMPANY,
        domains=[DOMAIN],
        values={
            "plan": plan,
            "arr_minor": ARR_A_BEFORE,
            "mrr_minor": MRR_A,
            "ltv_minor": LTV_A,
            "csm_owner": csm,
            "industry": "製造業",
            "external_id": "CRM-A-001",
            f"custom:{custom_field.key}": CUSTOM_VALUE,
        },
    )
    # The change of ARR leaves its history row (from ARR_A_BEFORE to ARR_A).
    account = save_account(actor=admin, name=COMPANY, account=account, values={"arr_minor": ARR_A})
    set_account_tier(actor=admin, account=account, tier_override="high", reason=TIER_REASON)
    other_account = save_account(
        actor=admin,
        name=OTHER_COMPANY,
        domains=["canary-butsuryu.co.jp"],
        values={
            "arr_minor": ARR_B,
            "mrr_minor": MRR_B,
            "ltv_minor": LTV_B,
            "csm_owner": csm,
            "industry": "製造業",
        },
    )
    assert MemberAccountLink.objects.filter(member=customer, account=account).exists()
    contact = Contact.objects.create(
        account=account,
        email=customer.email,
        full_name="鈴木 花子",
        external_id="CRM-C-001",
        member=customer,
    )
    dismissed = PlayFactory(account=account, owner=csm)
    dismiss_play(actor=csm, play=dismissed, reason=DISMISS_REASON)
    open_play = PlayFactory(account=other_account, owner=csm, rule=rule("no_recent_event"))
    arr_segment = create_segment(
        admin,
        clean_segment(
            admin,
            name=SEGMENT_NAME,
            description="",
            target="accounts",
            match="all",
            conditions=[{"field": "account.arr", "op": "gte", "value": str(ARR_THRESHOLD)}],
        ),
    )
    assert arr_segment.uses_economics
    open_segment = create_segment(
        admin,
        clean_segment(
            admin,
            name="製造業の企業",
            description="",
            target="accounts",
            match="all",
            conditions=[{"field": "account.industry", "op": "equals", "value": "製造業"}],
        ),
    )
    members_segment = create_segment(
        admin,
        clean_segment(
            admin,
            name="最近参加した会員",
            description="",
            target="members",
            match="all",
            conditions=[{"field": "member.joined", "op": "within_last", "value": 30}],
        ),
    )
    assert not open_segment.uses_economics and not members_segment.uses_economics
    job = import_file(
        admin,
        csv_bytes(
            ["Account ID", "Account Name", "Annual Revenue", "Industry"],
            [["0015g00000CnRy3", IMPORTED_COMPANY, f"{ARR_IMPORTED:,}", "製造業"]],
        ),
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.DONE, job.status
    assert CustomerAccount.objects.get(name=IMPORTED_COMPANY).arr_minor == ARR_IMPORTED
    ambassador = AmbassadorFactory(member=customer)
    return World(
        admin=admin,
        csm=csm,
        account=account,
        other_account=other_account,
        customer=customer,
        plan=plan,
        custom_field=custom_field,
        contact=contact,
        play=open_play,
        play_rule=open_play.rule,
        arr_segment=arr_segment,
        open_segment=open_segment,
        members_segment=members_segment,
        job=job,
        ambassador=ambassador,
    )


# Filling path parameters -----------------------------------------------------------------------

Fill = Callable[[World], list[Any]]

# (app, the literal path piece just before the parameter, parameter) → the values to try.
PAGE_PARAMETERS: dict[tuple[str, str, str], Fill] = {
    ("customers", "", "pk"): lambda w: [w.account.pk],
    ("customers", "plans", "pk"): lambda w: [w.plan.pk],
    ("customers", "custom-fields", "pk"): lambda w: [w.custom_field.pk],
    ("customers", "members", "member_pk"): lambda w: [w.customer.pk],
    ("customers", "contacts", "contact_pk"): lambda w: [w.contact.pk],
    ("customers", "book", "member_pk"): lambda w: [w.csm.pk],
    ("crm", "", "pk"): lambda w: [w.job.pk],
    ("plays", "", "pk"): lambda w: [w.play.pk],
    ("plays", "", "action"): lambda w: ["done", "snooze", "dismiss"],
    ("plays", "rules", "pk"): lambda w: [w.play_rule.pk],
    ("segments", "", "pk"): lambda w: [w.arr_segment.pk, w.open_segment.pk, w.members_segment.pk],
    ("ambassadors", "", "pk"): lambda w: [w.ambassador.pk],
    ("success", "accounts", "pk"): lambda w: [w.account.pk, w.other_account.pk],
}

# (first path piece after /api/, parameter) → the values to try.
API_PARAMETERS: dict[tuple[str, str], Fill] = {
    ("accounts", "account_id"): lambda w: [w.account.pk],
    ("accounts", "member_id"): lambda w: [w.customer.pk],
    ("accounts", "external_id"): lambda w: [w.account.external_id],
    ("contacts", "contact_id"): lambda w: [w.contact.pk],
    ("contacts", "external_id"): lambda w: [w.contact.external_id],
    ("crm-imports", "job_id"): lambda w: [w.job.pk],
    ("segments", "segment_id"): lambda w: [
        w.arr_segment.pk,
        w.open_segment.pk,
        w.members_segment.pk,
    ],
    ("plays", "play_id"): lambda w: [w.play.pk],
    ("play-rules", "rule_id"): lambda w: [w.play_rule.pk],
}

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def _page_patterns() -> Iterator[tuple[str, str, str]]:
    """(namespace, URL name, route) of every page of the apps."""
    resolver = get_resolver()
    for app in APPS:
        _prefix, app_resolver = resolver.namespace_dict[app]
        assert isinstance(app_resolver, URLResolver)
        for pattern in app_resolver.url_patterns:
            assert isinstance(pattern, URLPattern), pattern
            assert pattern.name, f"{app}: a page without a URL name ({pattern.pattern})"
            yield app, pattern.name, str(pattern.pattern)


def _combinations(options: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    combos: list[dict[str, Any]] = [{}]
    for name, values in options:
        combos = [{**combo, name: value} for combo in combos for value in values]
    return combos


def page_urls(w: World) -> list[str]:
    urls: list[str] = []
    for app, name, route in _page_patterns():
        options: list[tuple[str, list[Any]]] = []
        for match in PARAMETER.finditer(route):
            before = route[: match.start()].rstrip("/").split("/")[-1]
            before = "" if before.startswith("<") else before
            fill = PAGE_PARAMETERS.get((app, before, match["name"]))
            if fill is None:
                pytest.fail(
                    f"{app}:{name} ({route}) has a parameter {match['name']} the canary cannot "
                    f"fill: add ({app!r}, {before!r}, {match['name']!r}) to PAGE_PARAMETERS"
                )
            options.append((match["name"], fill(w)))
        urls += [reverse(f"{app}:{name}", kwargs=combo) for combo in _combinations(options)]
    return urls


def api_operations(w: World) -> list[tuple[str, str]]:
    """(method, path) of every API operation of the apps, path parameters filled."""
    schema = api.get_openapi_schema()
    operations: list[tuple[str, str]] = []
    for template, item in schema["paths"].items():
        for method, operation in item.items():
            if not str(operation.get("operationId", "")).startswith(API_OPERATION_PREFIXES):
                continue
            first = template.removeprefix("/api/").split("/")[0]
            options: list[tuple[str, list[Any]]] = []
            for name in re.findall(r"{(\w+)}", template):
                fill = API_PARAMETERS.get((first, name))
                if fill is None:
                    pytest.fail(
                        f"{method.upper()} {template}: the canary cannot fill {{{name}}}: add "
                        f"({first!r}, {name!r}) to API_PARAMETERS"
                    )
                options.append((name, fill(w)))
            for combo in _combinations(options):
                path = template
                for name, value in combo.items():
                    path = path.replace(f"{{{name}}}", str(value))
                operations.append((method.upper(), path))
    return operations


def member_pages(w: World) -> list[str]:
    """The pages a member walks through: home, the directory, the customer's profile, a
    search for the company's name, notifications, and the same through the API."""
    return [
        "/",
        reverse("home:questions"),
        reverse("directory:directory"),
        reverse("directory:directory") + "?q=カナリア",
        reverse("identity:member-profile", args=[w.customer.pk]),
        reverse("identity:member-profile", args=[w.csm.pk]),
        reverse("identity:my-profile"),
        reverse("search:search") + f"?q={COMPANY}",
        reverse("search:search") + "?q=カナリア",
        reverse("notifications:notification-list"),
        "/api/members/me",
        f"/api/members/{w.customer.pk}",
        "/api/members?limit=100",
        "/api/search?q=カナリア",
        "/api/notifications",
    ]


def staff_pages() -> list[str]:
    # The audit log has its own test below.
    return [reverse("staff:staff-home")]


# Walking ---------------------------------------------------------------------------------------


def body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        raw = b"".join(bytes(chunk) for chunk in response.streaming_content)
    else:
        raw = getattr(response, "content", b"")
    for encoding in ("utf-8-sig", "shift_jis"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


APP_PREFIXES = tuple(
    reverse(name)
    for name in (
        "customers:account-list",
        "crm:import-list",
        "segments:segment-list",
        "plays:queue",
        "ambassadors:roster",
        "success:expansion-signals",
    )
)
LINK = re.compile(r'(?:href|hx-get|action)="([^"#]+)"')


@dataclass
class Walk:
    """One viewer's requests: what each answered, and which markers it showed."""

    viewer: str
    client: Client
    api_headers: dict[str, str]
    seen: dict[str, set[str]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    follow_links: bool = True

    def record(self, label: str, response: HttpResponseBase) -> str:
        text = body(response)
        self.statuses[label] = response.status_code
        found = markers_in(text)
        if found:
            self.seen[label] = found
        return text

    def get(self, url: str, *, htmx: bool = False, api_call: bool = False) -> str:
        headers = dict(self.api_headers) if api_call else {}
        if htmx:
            headers["HTTP_HX_REQUEST"] = "true"
        response = self.client.get(url, **headers)
        return self.record(f"GET {url}{' (HTMX)' if htmx else ''}", response)

    def send(self, method: str, url: str, *, api_call: bool) -> None:
        """A write with an empty body, undone afterwards so every viewer meets the same world."""
        with transaction.atomic():
            if api_call:
                response = self.client.generic(
                    method, url, "{}", content_type="application/json", **self.api_headers
                )
            else:
                response = self.client.post(url, {})
            self.record(f"{method} {url}", response)
            transaction.set_rollback(True)

    def pages(self, urls: list[str]) -> None:
        found_links: list[str] = []
        for url in urls:
            text = self.get(url)
            self.send("POST", url, api_call=False)
            if self.statuses[f"GET {url}"] == 200:
                # The partial an HTMX request gets may be built apart from the page.
                self.get(url, htmx=True)
                found_links += [urljoin(url, html.unescape(link)) for link in LINK.findall(text)]
        if not self.follow_links:
            return
        asked = {label.split(" ", 1)[1] for label in self.statuses}
        for link in dict.fromkeys(found_links):
            if link.startswith(APP_PREFIXES) and link not in asked:
                asked.add(link)
                self.get(link)

    def api(self, operations: list[tuple[str, str]]) -> None:
        for method, path in operations:
            if method == "GET":
                self.get(path, api_call=True)
            else:
                self.send(method, path, api_call=True)

    def walk(self, w: World, *, staff: bool) -> None:
        self.pages(page_urls(w))
        self.api(api_operations(w))
        for url in member_pages(w) + (staff_pages() if staff else []):
            self.get(url, api_call=url.startswith("/api/"))


def walker(viewer: str, member: Member | None) -> Walk:
    client = Client()
    headers: dict[str, str] = {}
    if member is not None:
        client.force_login(member)
        if member.is_staff_member:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {make_key(member)}"}
    return Walk(viewer=viewer, client=client, api_headers=headers)


def viewers(w: World) -> dict[str, Member | None]:
    outsider: Member = MemberFactory(display_name="一般 会員")
    return {
        "anonymous": None,
        "customer": w.customer,
        "member of no customer": outsider,
        **{
            f"staff: {role}": StaffFactory(staff_role=role)
            for role in ("community_manager", "moderator", "marketing", "product_manager")
        },
    }


# The tests -------------------------------------------------------------------------------------


# What a marketer does reach (so the walk above asked real pages, not only refusals).
MARKETER_READS = (
    "GET /staff/accounts/",
    "GET /staff/accounts/?export=csv",
    "GET /staff/accounts/{account}/",
    "GET /staff/accounts/{account}/history/",
    "GET /staff/success/accounts/{account}/",
    "GET /staff/segments/",
    "GET /staff/segments/{open_segment}/",
    "GET /staff/segments/{open_segment}/export/",
    "GET /api/accounts",
    "GET /api/accounts/{account}",
    "GET /api/accounts/{account}/summary",
    "GET /api/segments/{open_segment}/members",
)


def test_no_economic_marker_reaches_members_anonymous_visitors_or_staff_without_economics(
    world: World,
) -> None:
    leaks: list[str] = []
    walks: dict[str, Walk] = {}
    for name, member in viewers(world).items():
        walk = walks[name] = walker(name, member)
        walk.walk(world, staff=member is not None and member.is_staff_member)
        leaks += [
            f"{name} · {label} ({walk.statuses[label]}) · {', '.join(sorted(found))}"
            for label, found in walk.seen.items()
        ]
        for message in mail.outbox:
            if member is not None and member.email in message.to:
                found = markers_in(str(message.subject) + str(message.body))
                if found:
                    leaks.append(f"{name} · email “{message.subject}” · {', '.join(found)}")
    assert not leaks, "Customer economics reached someone who may not see them:\n" + "\n".join(
        leaks
    )
    marketing = walks["staff: marketing"].statuses
    for label in MARKETER_READS:
        label = label.format(account=world.account.pk, open_segment=world.open_segment.pk)
        assert marketing.get(label) == 200, (label, marketing.get(label))
    # An ARR segment does not exist for a marketer; for a member no staff page does.
    assert marketing[f"GET /staff/segments/{world.arr_segment.pk}/"] == 404
    customer = walks["customer"].statuses
    assert customer[f"GET /staff/success/accounts/{world.account.pk}/"] == 403
    assert customer[f"GET /api/accounts/{world.account.pk}/summary"] == 403


def test_the_markers_are_there_for_staff_who_see_economics(world: World) -> None:
    walk = walker("administrator", world.admin)
    walk.walk(world, staff=True)
    seen = set().union(*walk.seen.values())
    assert seen == set(MARKERS), f"markers no page showed an administrator: {set(MARKERS) - seen}"


def test_a_marketer_reads_the_arr_on_the_360_once_granted_economics(world: World) -> None:
    marketer = StaffFactory(staff_role="marketing")
    url = reverse("success:account-360", args=[world.account.pk])
    client = Client()
    client.force_login(marketer)
    before = client.get(url)
    assert before.status_code == 200
    assert "ARR of the account" not in markers_in(body(before))

    Member.objects.filter(pk=marketer.pk).update(granted_capabilities=["view_account_economics"])
    after = client.get(url)
    assert after.status_code == 200
    assert "¥987,654,321" in body(after)
    assert "ARR of the account" in markers_in(body(after))


def audit_log_markers(role: str) -> set[str]:
    client = Client()
    client.force_login(StaffFactory(staff_role=role))
    response = client.get(reverse("staff:staff-audit-log"))
    assert response.status_code == 200
    found = markers_in(body(response))
    export = client.get(reverse("staff:staff-audit-log") + "?export=csv")
    assert export.status_code == 200
    return found | markers_in(body(export))


@pytest.mark.parametrize("role", ["community_manager", "moderator"])
def test_the_audit_log_keeps_figures_and_reasons_from_staff_without_economics(
    world: World, role: str
) -> None:
    assert audit_log_markers(role) == set()


@pytest.mark.parametrize("role", ["community_manager", "moderator"])
def test_the_audit_log_does_not_name_an_economics_segment_to_staff_without_economics(
    world: World, role: str
) -> None:
    assert "name of the ARR segment" not in audit_log_markers(role)
