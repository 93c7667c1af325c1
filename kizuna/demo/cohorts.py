"""A learning cohort in the demo: six customer companies in their fourth monthly session.

The CSM runs it through the cohort services, so each participant's map has the phases a real
run leaves: phase 1 written at the kick-off, each later phase opened from the one before, with
objectives moving from not started to achieved and some at risk. Called once from the
community load, inside its transaction.
"""

from datetime import datetime, timedelta

from kizuna.cohorts import services
from kizuna.cohorts.models import (
    ElementKind,
    Factor,
    ObjectiveStatus,
    Programme,
    ProgrammeStatus,
    Session,
)
from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.spaces.models import Space

PROGRAMME_TITLE = "学びのコミュニティ 2026 — 経費精算DXを進める6社"
SESSION_TITLES = (
    "キックオフ：プ譜を描く",
    "中間目的を「状態」で書き直す",
    "施策の手応えを持ち寄る",
    "リスクになっている中間目的を相談する",
    "勝利条件を見直す",
    "感想戦：半年を振り返る",
)
SESSIONS_HELD = 4
OBJECTIVES = (
    "現場が迷わず申請できている状態",
    "承認が3日以内に回っている状態",
    "経理が月次で数字を説明できている状態",
)
MEASURES = (
    ("申請マニュアルを動画で配る", (0,)),
    ("承認者にリマインドを自動送信する", (1,)),
    ("月次レポートを定例で読み合わせる", (1, 2)),
)
FACTORS = {
    Factor.PEOPLE: "経理2名、情報システム1名",
    Factor.MONEY: "年間予算内で追加費用なし",
    Factor.TIME: "半年で全社展開",
    Factor.QUALITY: "監査で指摘ゼロ",
    Factor.STRUCTURE: "販売代理店が導入を支援",
    Factor.ENVIRONMENT: "電子帳簿保存法への対応が必要",
    Factor.RIVALS: "",
    Factor.THREATS: "繁忙期の3月は動けない",
}
# How far each company got by session 4: the objectives achieved and the one at risk.
PROGRESS = ((3, None), (2, 2), (1, 1), (2, None), (0, 0), (1, 2))


def load_demo_cohorts(*, now: datetime) -> int:
    """The programme with its maps; returns how many maps were written."""
    csm = Member.objects.filter(staff_role=StaffRole.CSM).order_by("pk").first()
    admin = Member.objects.filter(staff_role=StaffRole.ADMINISTRATOR).order_by("pk").first()
    space = Space.objects.filter(slug="customers").first()
    if csm is None or admin is None or space is None:
        return 0
    programme = services.create_programme(
        actor=admin,
        space=space,
        title=PROGRAMME_TITLE,
        owner=csm,
        description="導入企業6社が毎月集まり、それぞれのプロジェクトをプ譜で描いて進めます。",
        status=ProgrammeStatus.RUNNING,
    )
    first_day = (now - timedelta(days=30 * (SESSIONS_HELD - 1))).date()
    sessions = [
        services.add_session(
            actor=csm,
            programme=programme,
            number=index + 1,
            date=first_day + timedelta(days=30 * index),
            title=title,
        )
        for index, title in enumerate(SESSION_TITLES)
    ]
    maps = 0
    for account, (achieved, at_risk) in zip(_six_accounts(), PROGRESS, strict=False):
        link = MemberAccountLink.objects.filter(account=account).select_related("member").first()
        if link is None:
            continue
        _write_map(csm, programme, link.member, account, sessions, achieved, at_risk)
        maps += 1
    return maps


def _six_accounts() -> list[CustomerAccount]:
    return list(
        CustomerAccount.objects.filter(
            status=CustomerAccount.Status.ACTIVE, member_links__isnull=False
        )
        .distinct()
        .order_by("pk")[:6]
    )


def _write_map(
    csm: Member,
    programme: Programme,
    member: Member,
    account: CustomerAccount,
    sessions: list[Session],
    achieved: int,
    at_risk: int | None,
) -> None:
    project_map = services.add_participant(
        actor=csm,
        programme=programme,
        member=member,
        account=account,
        project_title=f"{account.name}の経費精算DX",
    )
    phase = project_map.phases.get()
    services.add_element(
        actor=csm, phase=phase, kind=ElementKind.GOAL, text="経費精算を月末に締められる会社になる"
    )
    services.add_element(
        actor=csm,
        phase=phase,
        kind=ElementKind.WINNING_CONDITION,
        text="月次決算が5営業日で締まる",
        target="5営業日以内",
    )
    objectives = [
        services.add_element(actor=csm, phase=phase, kind=ElementKind.OBJECTIVE, text=text)
        for text in OBJECTIVES
    ]
    for text, linked in MEASURES:
        services.add_element(
            actor=csm,
            phase=phase,
            kind=ElementKind.MEASURE,
            text=text,
            objective_ids=[objectives[index].pk for index in linked],
        )
    for factor in phase.elements.filter(kind=ElementKind.FACTOR):
        services.edit_element(actor=csm, element=factor, text=FACTORS[Factor(factor.factor)])
    services.update_phase_notes(
        actor=csm,
        phase=phase,
        happened="キックオフで各社のプ譜を描き、互いに紹介した。",
        results="獲得目標と勝利条件が言葉になった。",
        decisions="次回までに中間目的を「状態」で書き直す。",
        insight="中間目的を成果物ではなく状態で書くと、施策との対応が見えやすい。",
    )
    lineages = [objective.lineage for objective in objectives]
    for session in sessions[1:SESSIONS_HELD]:
        phase = services.open_next_phase(actor=csm, project_map=project_map, session=session)
        number = phase.number
        for index, lineage in enumerate(lineages):
            element = phase.elements.get(lineage=lineage)
            if index < achieved and number >= 2 + index:
                status = ObjectiveStatus.ACHIEVED
            elif index == at_risk and number >= 3:
                status = ObjectiveStatus.AT_RISK
            else:
                status = ObjectiveStatus.ON_TRACK
            services.set_objective_status(actor=csm, element=element, status=status)
        services.update_phase_notes(
            actor=csm,
            phase=phase,
            happened=f"第{number}回で進捗を共有し、他社からフィードバックをもらった。",
            results="達成した中間目的をチェックした。",
            decisions="リスクのある中間目的に施策を足す。"
            if at_risk is not None
            else "このまま進める。",
            insight="",
        )
    services.add_feedback(
        actor=csm,
        phase=phase,
        body="承認の滞留は、承認者向けの説明会を1回挟むと動き出すことが多いです。",
    )
