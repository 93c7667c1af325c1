"""A participant updates an objective's status on their project map and the diagram redraws
itself without a reload; the diagram's own page prints on one A4 landscape sheet."""

import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from e2e.pages import LoginPage
from kizuna.cohorts.diagram import element_key
from kizuna.cohorts.models import Element
from kizuna.cohorts.tests.test_diagram import _phase_one

PASSWORD = "correct horse battery staple"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "c2"


def test_the_diagram_follows_a_status_change_and_prints_on_one_page(
    new_page: Callable[..., Page],
) -> None:
    fixture = _phase_one()
    objective = fixture.objectives[0]
    member = fixture.phase.project_map.participant.member
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_page()
    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)

    page.goto(reverse("cohorts:map", args=[fixture.phase.project_map_id]))
    box = page.locator(f'svg g.pm-box[data-key="{element_key(objective)}"]')
    expect(box).to_have_attribute("data-status", "on_track")
    expect(page.locator("svg .pm-link[data-kind='measure-objective']")).to_have_count(3)
    page.locator("figure.project-map-diagram").screenshot(path=str(ARTIFACTS / "map-before.png"))

    form = page.locator("form").filter(
        has=page.locator(f'input[name="element"][value="{objective.pk}"]')
    )
    form.locator('select[name="status"]').select_option("at_risk")
    form.locator("button").click()

    expect(box).to_have_attribute("data-status", "at_risk")
    expect(box.locator("rect")).to_have_attribute("fill", "#fdf0dc")
    page.locator("figure.project-map-diagram").screenshot(path=str(ARTIFACTS / "map-after.png"))
    page.screenshot(path=str(ARTIFACTS / "map-page.png"), full_page=True)

    diagram_page = reverse(
        "cohorts:phase-diagram", args=[fixture.phase.project_map_id, fixture.phase.number]
    )
    page.goto(diagram_page)
    expect(page.locator("svg title").first).to_contain_text("解約率を下げる")
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "map-print.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "map-print.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_the_diagram_highlights_what_changed_since_an_earlier_phase(
    new_page: Callable[..., Page],
) -> None:
    fixture = _phase_one()
    project_map = fixture.phase.project_map
    page = new_page()
    LoginPage(page).open_and_sign_in(email=project_map.participant.member.email, password=PASSWORD)
    page.goto(reverse("cohorts:map", args=[project_map.pk]))
    page.locator('form[action$="/edit/next-phase/"] button').click()
    expect(page.locator("section.cohort-map")).to_have_attribute("data-phase", "2")

    copied = Element.objects.get(phase__number=2, lineage=fixture.objectives[2].lineage)
    form = page.locator("form").filter(
        has=page.locator(f'input[name="element"][value="{copied.pk}"]')
    )
    form.locator('select[name="status"]').select_option("achieved")
    form.locator("button").click()
    box = page.locator(f'svg g.pm-box[data-key="{element_key(copied)}"]')
    expect(box).to_have_attribute("data-status", "achieved")
    expect(box).not_to_have_attribute("data-change", "changed")

    page.locator("figure.project-map-diagram select[name='since']").select_option("1")

    expect(box).to_have_attribute("data-change", "changed")
    expect(page.locator("svg g.pm-box[data-change]")).to_have_count(1)
    page.locator("figure.project-map-diagram").screenshot(path=str(ARTIFACTS / "map-diff.png"))
