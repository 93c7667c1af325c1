"""Build the demo community: a vendor, its customer accounts, members and spaces, from a seed.

Staff actions that operators would see in the audit log (accounts, spaces, staff roles,
account links, role changes) go through the domain services. The bulk of the people and
memberships is written with bulk_create so that the whole community loads in seconds;
no service that emails anyone is called, because demo addresses must never receive mail.
"""

import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from kizuna.core.audit import record_audit
from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.customers.services import link_member_to_account, save_account
from kizuna.demo import data
from kizuna.demo.cohorts import load_demo_cohorts
from kizuna.demo.events import load_demo_events
from kizuna.demo.forum import load_demo_forum
from kizuna.demo.success import load_demo_economics, load_demo_success_work
from kizuna.demo.threads import Volume
from kizuna.identity.models import Interest, Member
from kizuna.identity.services import set_staff_role
from kizuna.spaces.models import Invitation, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.services import change_member_role, create_space

CUSTOMER_COUNT = 262
NON_CUSTOMER_COUNT = 36
ENGLISH_SHARE = 0.07


@dataclass(frozen=True)
class DemoSummary:
    accounts: int
    members: int
    spaces: int
    memberships: int
    join_requests: int
    invitations: int
    threads: int
    answers: int
    seconds: float


@dataclass
class _Person:
    member: Member
    kind: str
    company: data.DemoCompany | None


def _leads(person: _Person) -> bool:
    """An executive, or a manager who would sit at an executives' table."""
    return person.kind == "executive" or any(
        title in person.member.job_role for title in ("部長", "マネージャー", "Head")
    )


def is_demo_loaded() -> bool:
    """The vendor administrator's address marks a database that already holds the demo."""
    return Member.objects.filter(email=data.STAFF[0].email).exists()


class _Builder:
    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.now = now
        # Hashing once keeps the load fast; every demo login shares the one demo password.
        self.password_hash = make_password(data.DEMO_PASSWORD)
        self.used_emails: set[str] = set()
        self.people: list[_Person] = []
        self.interests: dict[str, Interest] = {}
        self.spaces: dict[str, Space] = {}
        self.memberships: dict[tuple[str, int], Membership] = {}
        self.active_names: set[str] = set()
        self.promotions: list[tuple[Membership, str]] = []
        # Members of an application space, each admitted by an approved application.
        self.admitted: list[tuple[str, Member]] = []

    # People -------------------------------------------------------------------------------

    def _unique_email(self, local: str, domain: str) -> str:
        email, n = f"{local}@{domain}", 2
        while email in self.used_emails:
            email, n = f"{local}{n}@{domain}", n + 1
        self.used_emails.add(email)
        return email

    def _joined_at(self, max_days: int = 720) -> datetime:
        return self.now - timedelta(
            days=self.rng.randint(1, max_days), minutes=self.rng.randint(0, 1439)
        )

    def _new_member(
        self, person: data.DemoPerson, company_name: str, joined_at: datetime
    ) -> Member:
        self.used_emails.add(person.email)
        return Member(
            email=person.email,
            password=self.password_hash,
            display_name=person.display_name,
            name_reading=data.name_reading_of(person.display_name),
            bio=person.bio,
            company_name=company_name,
            job_role=person.job_role,
            language=person.language,
            time_zone=person.time_zone,
            date_joined=joined_at,
        )

    def _generated_person(
        self, company_name: str, domain: str, roles: list[tuple[str, str]]
    ) -> tuple[data.DemoPerson, str]:
        rng = self.rng
        if rng.random() < ENGLISH_SHARE:
            given = rng.choice(data.ENGLISH_GIVEN_NAMES)
            family = rng.choice(data.ENGLISH_FAMILY_NAMES)
            role, kind = rng.choice(data.ENGLISH_JOB_ROLES)
            interest = rng.choice(data.INTERESTS_BY_KIND[kind])
            bio = rng.choice(data.ENGLISH_BIO_TEMPLATES).format(
                role=role,
                company=company_name,
                interest_en=data.INTEREST_ENGLISH.get(interest, "expense reporting"),
            )
            email = self._unique_email(f"{given.lower()}.{family.lower()}", domain)
            person = data.DemoPerson(
                email=email,
                display_name=f"{given} {family}",
                job_role=role,
                bio=bio,
                language="en",
                time_zone=rng.choice(data.ENGLISH_TIME_ZONES),
            )
            return person, kind
        family_kanji, family_roman = rng.choice(data.FAMILY_NAMES)
        given_kanji, given_roman = rng.choice(data.GIVEN_NAMES)
        role, kind = rng.choice(roles)
        interest = rng.choice(data.INTERESTS_BY_KIND[kind])
        bio = rng.choice(data.BIO_TEMPLATES).format(
            company=company_name, role=role, interest=interest, years=rng.randint(1, 6)
        )
        email = self._unique_email(f"{given_roman}.{family_roman}", domain)
        person = data.DemoPerson(
            email=email, display_name=f"{family_kanji} {given_kanji}", job_role=role, bio=bio
        )
        return person, kind

    def create_people(self, accounts: list[CustomerAccount]) -> tuple[list[Member], Member, Member]:
        rng = self.rng
        weighted_roles = [
            (role, kind) for role, weight, kind in data.JOB_ROLES for _ in range(weight)
        ]
        # Staff get their roles from the administrator afterwards, through the audited service.
        staff = [
            self._new_member(p, data.VENDOR_NAME, self._joined_at(1000)) for p in data.STAFF[1:]
        ]
        # The customer login is a regular of more than a year's standing.
        customer_login = self._new_member(
            data.CUSTOMER_LOGIN, data.COMPANIES[0].name, self.now - timedelta(days=430)
        )
        # The prospect signed up a few weeks ago to see how customers use the product.
        non_customer_login = self._new_member(
            data.NON_CUSTOMER_LOGIN,
            data.NON_CUSTOMER_COMPANIES[0][0],
            self.now - timedelta(days=45),
        )
        self.people.append(_Person(customer_login, "finance", data.COMPANIES[0]))
        self.people.append(_Person(non_customer_login, "it", None))
        # Bigger customers send more people: a few accounts have a dozen members, most a handful.
        weights = [rng.choice((1, 1, 2, 2, 3, 5)) for _ in data.COMPANIES]
        for _ in range(CUSTOMER_COUNT):
            company = rng.choices(data.COMPANIES, weights=weights)[0]
            person, kind = self._generated_person(company.name, company.domain, weighted_roles)
            self.people.append(
                _Person(self._new_member(person, company.name, self._joined_at()), kind, company)
            )
        for _ in range(NON_CUSTOMER_COUNT):
            company_name, domain = rng.choice(data.NON_CUSTOMER_COMPANIES)
            person, kind = self._generated_person(
                company_name, domain, list(data.NON_CUSTOMER_ROLES)
            )
            self.people.append(
                _Person(self._new_member(person, company_name, self._joined_at(365)), kind, None)
            )
        members = Member.objects.bulk_create(staff + [p.member for p in self.people])
        EmailAddress.objects.bulk_create(
            EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members
        )
        self._give_interests()
        by_domain = {a.domains.all()[0].domain: a for a in accounts}
        MemberAccountLink.objects.bulk_create(
            MemberAccountLink(
                member=p.member,
                account=by_domain[p.company.domain],
                source=MemberAccountLink.Source.EMAIL_DOMAIN,
            )
            for p in self.people
            if p.company is not None
        )
        return staff, customer_login, non_customer_login

    def date_accounts(self) -> None:
        """save_account dated every account today; each became a customer a little before its
        first person joined the community."""
        first_joined = dict(
            MemberAccountLink.objects.values("account_id")
            .annotate(first=Min("member__date_joined"))
            .values_list("account_id", "first")
        )
        for account_id, first in first_joined.items():
            CustomerAccount.objects.filter(pk=account_id).update(
                created_at=first - timedelta(days=self.rng.randint(14, 90))
            )

    def _give_interests(self) -> None:
        Interest.objects.bulk_create(
            [Interest(name=name) for name in data.INTERESTS], ignore_conflicts=True
        )
        self.interests = {i.name: i for i in Interest.objects.filter(name__in=data.INTERESTS)}
        through = Member.interests.through
        rows = []
        for person in self.people:
            pool = list(data.INTERESTS_BY_KIND[person.kind])
            extra = self.rng.sample(data.INTERESTS, 2)
            chosen = dict.fromkeys(
                self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3))) + extra
            )
            rows += [
                through(member_id=person.member.pk, interest_id=self.interests[n].pk)
                for n in chosen
            ]
        through.objects.bulk_create(rows)

    # Spaces and memberships ----------------------------------------------------------------

    def create_spaces(self, admin: Member) -> None:
        for spec in data.SPACES:
            self.spaces[spec.slug] = create_space(
                actor=admin,
                name=spec.name,
                slug=spec.slug,
                description=spec.description,
                purpose=spec.purpose,
                rules=spec.rules,
                access_type=spec.access_type,
                color=spec.color,
                icon=spec.icon,
                parent=self.spaces[spec.parent] if spec.parent else None,
                join_questions=list(spec.join_questions),
            )
        # create_space dated each space, and the administrator's hosting of it, today; the
        # community is older than any membership in it.
        for space in self.spaces.values():
            founded = self.now - timedelta(days=700 if space.parent_id else 760)
            Space.objects.filter(pk=space.pk).update(created_at=founded)
            Membership.objects.filter(space=space).update(joined_at=founded)

    def _add(
        self,
        slug: str,
        member: Member,
        *,
        via: str = Membership.Via.JOINED,
        role: str = SpaceRole.MEMBER,
        joined_at: datetime | None = None,
    ) -> None:
        key = (slug, member.pk)
        if key not in self.memberships:
            joined_at = joined_at or max(
                member.date_joined, self.now - timedelta(days=self.rng.randint(0, 540))
            )
            self.memberships[key] = Membership(
                space=self.spaces[slug], member=member, via=via, role=role, joined_at=joined_at
            )

    def plan_memberships(self, customer_login: Member, non_customer_login: Member) -> None:
        """Who is in which space. The demo logins get theirs by hand: the customer is in her
        customer spaces and applying to the ambassadors; the prospect is where a prospect can
        be, the open user group. Application spaces admit only through an application."""
        rng = self.rng
        active = {
            p.member.pk
            for p in self.people
            if p.company is not None and p.company.name in self.active_names
        }
        logins = {customer_login.pk, non_customer_login.pk}
        for person in self.people:
            member, kind = person.member, person.kind
            if member.pk in logins:
                continue
            is_active_customer = member.pk in active
            if rng.random() < 0.6:
                self._add("user-group", member)
            if is_active_customer and rng.random() < 0.75:
                self._add("customers", member)
                region = person.company.region if person.company else ""
                if region == "関西" and rng.random() < 0.7:
                    self._add("customers-kansai", member)
                if region == "九州" and rng.random() < 0.7:
                    self._add("customers-kyushu", member)
                if kind in {"finance", "executive"} and rng.random() < 0.35:
                    self._add("customers-invoicing", member)
            if kind in {"developer", "it"} and rng.random() < 0.7:
                self._add("developers", member)
                if member.language == "en":
                    self._add("developers-english", member)
            # The programmes by application are for customers: executives to the roundtable,
            # a few keen users to the ambassadors.
            if is_active_customer and kind == "executive" and rng.random() < 0.6:
                self.admitted.append(("executive-roundtable", member))
            if is_active_customer and rng.random() < 0.04:
                self.admitted.append(("ambassadors", member))
        for slug, member in self.admitted:
            self._add(slug, member, via=Membership.Via.APPROVAL)
        for days, slug in enumerate(("user-group", "customers", "customers-kansai")):
            self._add(slug, customer_login, joined_at=customer_login.date_joined + timedelta(days))
        self._add("user-group", non_customer_login, joined_at=non_customer_login.date_joined)

    def promote_leaders(self, community_manager: Member, moderator: Member) -> None:
        """Customer leaders host sub-groups; the staff moderator helps moderate the open spaces."""
        for slug in (
            "user-group",
            "customers",
            "developers",
            "executive-roundtable",
            "ambassadors",
        ):
            self._add(slug, community_manager, via=Membership.Via.STAFF, role=SpaceRole.HOST)
        for slug in ("user-group", "developers", "developers-english"):
            self._add(slug, moderator, via=Membership.Via.STAFF, role=SpaceRole.MODERATOR)
        promotions: list[tuple[Membership, str]] = []
        for spec in data.SPACES:
            candidates = [
                m
                for (s, _pk), m in self.memberships.items()
                if s == spec.slug
                and m.role == SpaceRole.MEMBER
                and not m.member.staff_role
                and m.member.email not in {data.CUSTOMER_LOGIN.email, data.NON_CUSTOMER_LOGIN.email}
            ]
            if not candidates:
                continue
            picked = self.rng.sample(candidates, min(len(candidates), 2))
            promotions.append((picked[0], SpaceRole.HOST if spec.parent else SpaceRole.MODERATOR))
            if len(picked) > 1 and not spec.parent:
                promotions.append((picked[1], SpaceRole.MODERATOR))
        self.promotions = promotions

    def save_memberships(self, admin: Member) -> None:
        # create_space already made the administrator host of every space.
        existing = set(Membership.objects.values_list("space__slug", "member_id"))
        Membership.objects.bulk_create(
            [m for key, m in self.memberships.items() if key not in existing]
        )
        for planned, role in self.promotions:
            membership = Membership.objects.get(space=planned.space, member=planned.member)
            change_member_role(
                actor=admin, membership=membership, role=role, reason="デモ：分科会リーダーに任命"
            )

    # Applications and invitations ----------------------------------------------------------

    def _application(
        self, space: Space, person: _Person, answer_sets: tuple[tuple[str, ...], ...], **fields: Any
    ) -> JoinRequest:
        answers = [
            a.format(company=person.member.company_name or "個人", role=person.member.job_role)
            for a in self.rng.choice(answer_sets)
        ]
        return JoinRequest(
            space=space,
            applicant=person.member,
            answers=[
                {"question": q, "answer": a}
                for q, a in zip(space.join_questions, answers, strict=False)
            ],
            **fields,
        )

    def create_join_requests(
        self, customer_login: Member, moderator_by_slug: dict[str, Member]
    ) -> int:
        """Every member of an application space came in through an approved application; a
        few more applications wait in each queue, and one was turned down with a reason.

        Nobody waits in the queue of a space they are already in.
        """
        rng = self.rng
        by_pk = {p.member.pk: p for p in self.people}
        admitted = {(slug, member.pk) for slug, member in self.admitted}
        rows: list[JoinRequest] = []
        created: list[datetime] = []
        for slug, answer_sets in data.JOIN_ANSWERS.items():
            space, moderator = self.spaces[slug], moderator_by_slug[slug]
            for (member_slug, member_pk), membership in self.memberships.items():
                if member_slug == slug and (slug, member_pk) in admitted:
                    rows.append(
                        self._application(
                            space,
                            by_pk[member_pk],
                            answer_sets,
                            status=JoinRequest.Status.APPROVED,
                            decided_by=moderator,
                            decided_at=membership.joined_at,
                        )
                    )
                    created.append(membership.joined_at - timedelta(days=rng.randint(1, 7)))
            applicants = [
                p
                for p in self.people
                if (slug, p.member.pk) not in self.memberships
                and p.member != customer_login
                and p.company is not None
                and p.company.name in self.active_names
            ]
            # The roundtable's reason for turning one down is that it is for executives.
            fitting = [p for p in applicants if slug != "executive-roundtable" or _leads(p)]
            waiting = rng.sample(fitting, 6)
            turned_down = rng.choice(
                [
                    p
                    for p in applicants
                    if p not in waiting and (slug != "executive-roundtable" or not _leads(p))
                ]
            )
            for person in waiting:
                rows.append(self._application(space, person, answer_sets))
                created.append(
                    self.now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23))
                )
            decided_at = self.now - timedelta(days=rng.randint(20, 120))
            rows.append(
                self._application(
                    space,
                    turned_down,
                    answer_sets,
                    status=JoinRequest.Status.REJECTED,
                    decided_by=moderator,
                    decided_at=decided_at,
                    decision_reason=data.REJECTION_REASONS[slug],
                )
            )
            created.append(decided_at - timedelta(days=rng.randint(1, 7)))
        # The customer demo login has an application waiting, so the page shows that state.
        rows.append(
            self._application(
                self.spaces["ambassadors"],
                by_pk[customer_login.pk],
                data.JOIN_ANSWERS["ambassadors"][:1],
            )
        )
        created.append(self.now - timedelta(days=4))
        JoinRequest.objects.bulk_create(rows)
        # auto_now_add stamped every row with now; backdate them to when they were sent.
        for request, at in zip(rows, created, strict=True):
            JoinRequest.objects.filter(pk=request.pk).update(created_at=at)
            if request.status == JoinRequest.Status.PENDING:
                continue
            approved = request.status == JoinRequest.Status.APPROVED
            assert request.decided_by is not None
            record_audit(
                actor=request.decided_by,
                action="join_request.approved" if approved else "join_request.rejected",
                target=request.space,
                reason=request.decision_reason,
                details={
                    "join_request_id": request.pk,
                    "applicant_id": request.applicant_id,
                    "applicant": str(request.applicant),
                },
            )
        return len(rows)

    def create_invitations(self, csm: Member, non_customer_login: Member) -> int:
        """Referrals: members invite colleagues; some accepted, some pending, some expired."""
        rng = self.rng
        rows: list[Invitation] = []
        customers = [
            p for p in self.people if p.company is not None and p.company.name in self.active_names
        ]

        def invitation(
            space: Space,
            email: str,
            inviter: Member,
            *,
            days_ago: int,
            accepted_by: Member | None = None,
        ) -> Invitation:
            created = self.now - timedelta(days=days_ago)
            return Invitation(
                space=space,
                email=email,
                token=f"demo-{rng.getrandbits(128):032x}",
                invited_by=inviter,
                message="一緒に情報交換しませんか？",
                expires_at=created + timedelta(days=14),
                accepted_by=accepted_by,
                accepted_at=created + timedelta(days=rng.randint(0, 5)) if accepted_by else None,
            )

        # Pending: colleagues who have not signed up yet.
        for person in rng.sample(customers, 8):
            assert person.company is not None
            given, family = rng.choice(data.GIVEN_NAMES)[1], rng.choice(data.FAMILY_NAMES)[1]
            email = self._unique_email(f"{given}.{family}", person.company.domain)
            rows.append(
                invitation(
                    self.spaces["user-group"], email, person.member, days_ago=rng.randint(0, 10)
                )
            )
        # Expired: invitations nobody took up in time.
        for person in rng.sample(customers, 5):
            assert person.company is not None
            given, family = rng.choice(data.GIVEN_NAMES)[1], rng.choice(data.FAMILY_NAMES)[1]
            email = self._unique_email(f"{given}.{family}", person.company.domain)
            rows.append(
                invitation(
                    self.spaces["customers"], email, person.member, days_ago=rng.randint(30, 120)
                )
            )
        # Accepted: existing memberships that began with a colleague's invitation.
        accepted = 0
        for (slug, _pk), membership in self.memberships.items():
            if accepted >= 15 or slug not in {"user-group", "customers", "developers"}:
                continue
            invitee = membership.member
            inviter_pool = [
                m.member
                for (s, _p), m in self.memberships.items()
                if s == slug
                and m.member != invitee
                and m.member.email.rsplit("@")[1] == invitee.email.rsplit("@")[1]
            ]
            if invitee.staff_role or not inviter_pool or rng.random() > 0.3:
                continue
            inviter = rng.choice(inviter_pool)
            Membership.objects.filter(space=membership.space, member=invitee).update(
                via=Membership.Via.INVITATION
            )
            rows.append(
                invitation(
                    membership.space,
                    invitee.email,
                    inviter,
                    days_ago=rng.randint(20, 300),
                    accepted_by=invitee,
                )
            )
            accepted += 1
        # A customer's IT lead invites the prospect, a consultant, to the developers' space.
        customer_pks = {p.member.pk for p in customers}
        host = next(
            m.member
            for (slug, _pk), m in sorted(self.memberships.items(), key=lambda item: item[0])
            if slug == "developers" and m.member.pk in customer_pks
        )
        prospect_invitation = invitation(
            self.spaces["developers"], non_customer_login.email, host, days_ago=2
        )
        prospect_invitation.message = "API連携の相談をここでしています。よければ参加してください。"
        rows.append(prospect_invitation)
        # A partner consultant joined the private space on the CSM's invitation (staff-granted).
        partner = next(
            p.member for p in self.people if p.company is None and p.member != non_customer_login
        )
        staff_invitation = invitation(
            self.spaces["customers"], partner.email, csm, days_ago=40, accepted_by=partner
        )
        Membership.objects.get_or_create(
            space=self.spaces["customers"],
            member=partner,
            defaults={
                "via": Membership.Via.STAFF_INVITATION,
                "joined_at": staff_invitation.accepted_at,
            },
        )
        rows.append(staff_invitation)
        Invitation.objects.bulk_create(rows)
        # auto_now_add stamped every row with now; backdate them to when they were sent.
        for row in rows:
            Invitation.objects.filter(pk=row.pk).update(
                created_at=row.expires_at - timedelta(days=14)
            )
        return len(rows)


def load_demo_community(
    *, seed: int = 2026, volume: Volume = Volume.SMALL, now: datetime | None = None
) -> DemoSummary | None:
    """Load the whole demo community in one transaction; None if it is already there.

    `volume` is how much of the forum is generated: the full year for people trying the demo
    (the load_demo command), a few threads around the story threads for the tests, which load
    the demo once per module and would otherwise spend most of their time writing posts.
    Everything is dated up to `now` (the present by default); a fixed `now` gives the same
    community from the same seed on any day.
    """
    started = time.monotonic()
    with transaction.atomic():
        if is_demo_loaded():
            return None
        builder = _Builder(seed, now or timezone.now())
        churned = set(builder.rng.sample(range(1, len(data.COMPANIES)), data.CHURNED_COMPANY_COUNT))
        builder.active_names = {c.name for i, c in enumerate(data.COMPANIES) if i not in churned}
        # Every other staff action needs an administrator, so the administrator comes first.
        admin_person = data.STAFF[0]
        admin = builder._new_member(admin_person, data.VENDOR_NAME, builder._joined_at(1000))
        admin.staff_role = admin_person.staff_role
        admin.save()
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
        TOTP.activate(admin, admin_person.totp_secret)
        for company in data.COMPANIES:
            save_account(
                actor=admin,
                name=company.name,
                domains=[company.domain],
                status=CustomerAccount.Status.ACTIVE
                if company.name in builder.active_names
                else CustomerAccount.Status.CHURNED,
            )
        accounts = list(CustomerAccount.objects.prefetch_related("domains"))
        staff, customer_login, non_customer_login = builder.create_people(accounts)
        builder.date_accounts()
        for member, person in zip(staff, data.STAFF[1:], strict=True):
            set_staff_role(
                actor=admin, member=member, role=person.staff_role, reason="デモ：スタッフ登録"
            )
            TOTP.activate(member, person.totp_secret)
        by_role = {m.staff_role: m for m in Member.objects.exclude(staff_role="")}
        csm = Member.objects.get(email=data.STAFF[3].email)
        community_manager, moderator = by_role["community_manager"], by_role["moderator"]
        enterprise_csm = Member.objects.get(email=f"csm.enterprise@{data.VENDOR_DOMAIN}")
        load_demo_economics(seed=seed, now=builder.now, admin=admin, csms=[csm, enterprise_csm])
        # A partner with a personal address was linked to an account by the CSM.
        freelancer = next(
            (p.member for p in builder.people if p.member.email.endswith("@gmail.com")), None
        )
        if freelancer is not None:
            link_member_to_account(
                actor=csm,
                member=freelancer,
                account=accounts[0],
                reason="業務委託で経理を担当している方のため、個人アドレスを紐付け",
            )
        builder.create_spaces(admin)
        builder.plan_memberships(customer_login, non_customer_login)
        builder.promote_leaders(community_manager, moderator)
        builder.save_memberships(admin)
        join_requests = builder.create_join_requests(
            customer_login,
            {"executive-roundtable": community_manager, "ambassadors": community_manager},
        )
        invitations = builder.create_invitations(csm, non_customer_login)
        forum = load_demo_forum(seed=seed, volume=volume, now=builder.now)
        load_demo_cohorts(now=builder.now)
        load_demo_events(seed=seed, volume=volume, now=builder.now)
        load_demo_success_work(now=builder.now, admin=admin, csms=[csm, enterprise_csm])
        summary = DemoSummary(
            accounts=CustomerAccount.objects.count(),
            members=Member.objects.count(),
            spaces=Space.objects.count(),
            memberships=Membership.objects.count(),
            join_requests=join_requests,
            invitations=invitations,
            threads=forum.posts if forum else 0,
            answers=forum.answers if forum else 0,
            seconds=0.0,
        )
    return replace(summary, seconds=time.monotonic() - started)
