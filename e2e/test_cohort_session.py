"""A CSM runs a cohort session: opens phase 4 from phase 3, updates an objective's status, a peer
leaves feedback, and the diagram and the phase comparison both show the change."""

from collections.abc import Callable

from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django import Settings

from e2e.pages import LoginPage, MfaPage, current_totp_code
from kizuna.cohorts import services
from kizuna.cohorts.diagram import element_key
from kizuna.cohorts.models import Element, Participant, ProjectMap
from kizuna.cohorts.tests.test_diagram import _phase_one
from kizuna.identity.tests.factories import MemberFactory

PASSWORD = "correct horse battery staple"


def _map_at_phase_three() -> ProjectMap:
    project_map = _phase_one().phase.project_map
    owner = project_map.participant.programme.owner
    for _ in range(2):
        services.open_next_phase(actor=owner, project_map=project_map)
    return project_map


def test_a_csm_opens_the_next_phase_a_peer_comments_and_the_change_shows(
    new_page: Callable[..., Page], settings: Settings
) -> None:
    # Staff sign in with a TOTP code; a tolerance of one step keeps a code read at the turn of a
    # 30-second window valid.
    settings.MFA_TOTP_TOLERANCE = 1
    project_map = _map_at_phase_three()
    programme = project_map.participant.programme
    peer = Participant.objects.create(programme=programme, member=MemberFactory()).member
    csm_page = new_page()
    LoginPage(csm_page).open_and_sign_in(email=programme.owner.email, password=PASSWORD)
    MfaPage(csm_page).enter_code(current_totp_code(programme.owner))

    csm_page.goto(reverse("cohorts:map", args=[project_map.pk]))
    expect(csm_page.locator("section.cohort-map")).to_have_attribute("data-phase", "3")
    csm_page.locator('form[action$="/edit/next-phase/"] button').click()
    expect(csm_page.locator("section.cohort-map")).to_have_attribute("data-phase", "4")

    objective = Element.objects.filter(phase__project_map=project_map, phase__number=4).get(
        text="全社員がツールを毎日開いている状態"
    )
    form = csm_page.locator("form").filter(
        has=csm_page.locator(f'input[name="element"][value="{objective.pk}"]')
    )
    form.locator('select[name="status"]').select_option("achieved")
    form.locator("button").click()
    box = csm_page.locator(f'svg g.pm-box[data-key="{element_key(objective)}"]')
    expect(box).to_have_attribute("data-status", "achieved")

    peer_page = new_page()
    LoginPage(peer_page).open_and_sign_in(email=peer.email, password=PASSWORD)
    peer_page.goto(reverse("cohorts:map", args=[project_map.pk]))
    peer_page.locator("#feedback-body").fill(
        "毎日開く状態になったのは大きいですね。次は定着の指標を。"
    )
    peer_page.locator("#feedback form button").click()
    expect(peer_page.locator("#feedback")).to_contain_text("次は定着の指標を。")

    csm_page.locator("figure.project-map-diagram select[name='since']").select_option("3")
    expect(box).to_have_attribute("data-change", "changed")
    csm_page.goto(reverse("cohorts:map-diff", args=[project_map.pk]) + "?from=3&to=4")
    row = csm_page.locator("tr").filter(has_text="全社員がツールを毎日開いている状態")
    expect(row).to_have_count(1)
