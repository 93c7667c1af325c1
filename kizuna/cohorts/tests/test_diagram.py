"""The project map drawn as SVG: every element as escaped text, its links, its layout."""

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.template.loader import render_to_string

from kizuna.cohorts.diagram import (
    FONT_SIZE,
    MAX_LINES,
    NO_LINE_END,
    NO_LINE_START,
    STATUS_PALETTE,
    UNIT_WIDTH,
    build_diagram,
    element_key,
    lay_out,
    phase_diagram,
    text_units,
    wrap_label,
)
from kizuna.cohorts.models import (
    Element,
    ElementKind,
    Factor,
    ObjectiveStatus,
    Participant,
    Phase,
    ProjectMap,
)
from kizuna.cohorts.selectors import elements_of
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.identity.tests.factories import MemberFactory

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & 「引用」'


@dataclass
class Fixture:
    phase: Phase
    goal: Element
    objectives: list[Element]
    measures: list[Element]


def _phase_one() -> Fixture:
    programme = ProgrammeFactory()
    participant = Participant.objects.create(programme=programme, member=MemberFactory())
    project_map = ProjectMap.objects.create(participant=participant, title="解約率を下げる")
    phase = Phase.objects.create(project_map=project_map, number=1)
    add = Element.objects.create
    goal = add(phase=phase, kind=ElementKind.GOAL, text="オンボーディングを仕組みにする")
    add(
        phase=phase,
        kind=ElementKind.WINNING_CONDITION,
        text="新規顧客の90日継続率が上がる",
        target="90日継続率 95% 以上",
    )
    objectives = [
        add(
            phase=phase,
            kind=ElementKind.OBJECTIVE,
            text="全社員がツールを毎日開いている状態",
            status=ObjectiveStatus.ON_TRACK,
            position=0,
        ),
        add(
            phase=phase,
            kind=ElementKind.OBJECTIVE,
            text=HOSTILE,
            status=ObjectiveStatus.AT_RISK,
            position=1,
        ),
        add(
            phase=phase,
            kind=ElementKind.OBJECTIVE,
            text="管理職が週次で数字を見ている状態",
            status=ObjectiveStatus.NOT_STARTED,
            position=2,
        ),
    ]
    measures = [
        add(phase=phase, kind=ElementKind.MEASURE, text="社内勉強会を毎月開く", position=0),
        add(phase=phase, kind=ElementKind.MEASURE, text="ダッシュボードを作る", position=1),
        add(phase=phase, kind=ElementKind.MEASURE, text="Slack 通知を設定する", position=2),
    ]
    measures[0].objectives.set([objectives[0], objectives[1]])
    measures[1].objectives.set([objectives[2]])
    for factor in Factor:
        add(
            phase=phase,
            kind=ElementKind.FACTOR,
            factor=factor.value,
            text="予算は年間200万円まで" if factor == Factor.MONEY else "",
        )
    return Fixture(phase, goal, objectives, measures)


def _svg(markup: str) -> ET.Element:
    match = re.search(r"<svg\b.*</svg>", markup, re.DOTALL)
    assert match is not None
    return ET.fromstring(match.group(0))


def _render(phase: Phase, since: Phase | None = None) -> str:
    return render_to_string(
        "cohorts/includes/diagram.html",
        {"diagram": build_diagram(phase, since=since), "diagram_url": "/diagram/"},
    )


def _box_texts(svg: ET.Element) -> dict[str, str]:
    """Each box's key and the text drawn in it, its lines joined."""
    return {
        group.attrib["data-key"]: "".join(text.text or "" for text in group.iter(f"{SVG}text"))
        for group in svg.iter(f"{SVG}g")
        if group.get("class") == "pm-box"
    }


# The drawing is read in English here; its Japanese comes from the catalogue like any page.
pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
class TestTheDrawing:
    def test_is_well_formed_xml(self) -> None:
        fixture = _phase_one()

        svg = _svg(_render(fixture.phase))

        assert svg.tag == f"{SVG}svg"
        assert svg.attrib["viewBox"].startswith("0 0 ")

    def test_member_text_stays_text(self) -> None:
        fixture = _phase_one()

        markup = _render(fixture.phase)

        assert "<script>" not in markup
        drawn = _box_texts(_svg(markup))
        assert HOSTILE.replace(" ", "") in drawn[element_key(fixture.objectives[1])].replace(
            " ", ""
        )

    def test_every_element_is_drawn_with_its_text(self) -> None:
        fixture = _phase_one()

        drawn = _box_texts(_svg(_render(fixture.phase)))

        for element in Element.objects.filter(phase=fixture.phase).exclude(text=""):
            assert element.text.replace(" ", "") in drawn[element_key(element)].replace(" ", "")
        assert len([key for key in drawn if key.startswith("factor-")]) == len(Factor)

    def test_draws_a_line_for_each_measure_objective_link(self) -> None:
        fixture = _phase_one()
        expected = {
            (element_key(measure), element_key(objective))
            for measure in fixture.measures
            for objective in measure.objectives.all()
        }

        svg = _svg(_render(fixture.phase))

        drawn = {
            (path.attrib["data-source"], path.attrib["data-target"])
            for path in svg.iter(f"{SVG}path")
            if path.get("data-kind") == "measure-objective"
        }
        assert drawn == expected
        assert len(expected) == 3

    def test_colours_objectives_by_status_and_names_the_status(self) -> None:
        fixture = _phase_one()

        diagram = build_diagram(fixture.phase)

        for objective in fixture.objectives:
            box = next(box for box in diagram.boxes if box.key == element_key(objective))
            assert box.fill == STATUS_PALETTE[objective.status].fill
            assert f"● {ObjectiveStatus(objective.status).label}" in [
                line.text for line in box.lines
            ]
        assert [item.label for item in diagram.legend] == [
            str(status.label) for status in ObjectiveStatus
        ]

    def test_flags_an_objective_without_measure_and_a_measure_without_objective(self) -> None:
        fixture = _phase_one()
        fixture.measures[1].objectives.clear()

        diagram = build_diagram(fixture.phase)

        boxes = {box.key: box for box in diagram.boxes}
        assert boxes[element_key(fixture.objectives[2])].lines[-1].text == "No measure yet"
        assert boxes[element_key(fixture.objectives[0])].lines[-1].text != "No measure yet"
        assert boxes[element_key(fixture.measures[1])].lines[-1].text == (
            "Not linked to an objective"
        )

    def test_columns_run_left_to_right_factors_measures_objectives_goal(self) -> None:
        fixture = _phase_one()

        boxes = {box.key: box for box in build_diagram(fixture.phase).boxes}

        factor = next(box for box in boxes.values() if box.kind == ElementKind.FACTOR)
        measure = boxes[element_key(fixture.measures[0])]
        objective = boxes[element_key(fixture.objectives[0])]
        goal = boxes[element_key(fixture.goal)]
        assert factor.x < measure.x < objective.x < goal.x


@pytest.mark.django_db
class TestTheLayout:
    def test_same_phase_same_bytes(self) -> None:
        fixture = _phase_one()

        assert _render(fixture.phase) == _render(fixture.phase)

    def test_does_not_depend_on_the_order_rows_arrive_in(self) -> None:
        fixture = _phase_one()
        rows = list(elements_of(fixture.phase))

        forward = lay_out(rows, dom_id="d", title="t")
        backward = lay_out(list(reversed(rows)), dom_id="d", title="t")

        assert forward == backward

    def test_a_measure_sits_level_with_the_first_objective_it_serves(self) -> None:
        fixture = _phase_one()
        first, second, unlinked = fixture.measures
        first.objectives.set([fixture.objectives[2]])
        second.objectives.set([fixture.objectives[0]])

        boxes = build_diagram(fixture.phase).boxes

        measure_order = [box.key for box in boxes if box.kind == ElementKind.MEASURE]
        assert measure_order == [element_key(m) for m in (second, first, unlinked)]

    def test_every_line_fits_inside_its_box(self) -> None:
        fixture = _phase_one()
        Element.objects.filter(phase=fixture.phase, kind=ElementKind.WINNING_CONDITION).update(
            target="解約率を月次で1%未満に抑え、かつ拡大率を年間120%以上にする" * 2
        )

        for box in build_diagram(fixture.phase).boxes:
            for line in box.lines:
                # One hanging punctuation mark may pass the padding, never the border.
                drawn = text_units(line.text) * UNIT_WIDTH * line.size / FONT_SIZE
                assert line.x + drawn <= box.x + box.width, (box.key, line.text)
                assert box.y < line.y < box.y + box.height

    def test_boxes_of_a_column_do_not_overlap(self) -> None:
        fixture = _phase_one()

        boxes = build_diagram(fixture.phase).boxes

        for kind in (ElementKind.FACTOR, ElementKind.MEASURE, ElementKind.OBJECTIVE):
            column = sorted((box for box in boxes if box.kind == kind), key=lambda box: box.y)
            for upper, lower in itertools.pairwise(column):
                assert upper.y + upper.height < lower.y


@pytest.mark.django_db
class TestChangesSinceAPhase:
    def _phase_two(self, fixture: Fixture) -> Phase:
        """Phase 2 as a copy of phase 1 keeping lineages, one status changed, one measure added."""
        phase = Phase.objects.create(project_map=fixture.phase.project_map, number=2)
        copies: dict[int, Element] = {}
        for element in elements_of(fixture.phase):
            copies[element.pk] = Element.objects.create(
                phase=phase,
                kind=element.kind,
                lineage=element.lineage,
                text=element.text,
                target=element.target,
                status=element.status,
                factor=element.factor,
                position=element.position,
            )
        for measure in fixture.measures:
            copies[measure.pk].objectives.set(
                [copies[objective.pk] for objective in measure.objectives.all()]
            )
        achieved = copies[fixture.objectives[0].pk]
        achieved.status = ObjectiveStatus.ACHIEVED
        achieved.save()
        Element.objects.create(
            phase=phase, kind=ElementKind.MEASURE, text="導入事例を社内報に載せる"
        )
        copies[fixture.measures[2].pk].delete()
        return phase

    def test_marks_added_and_changed_elements_and_counts_removed_ones(self) -> None:
        fixture = _phase_one()
        later = self._phase_two(fixture)

        diagram = build_diagram(later, since=fixture.phase)

        changed = {box.key: box.change for box in diagram.boxes if box.change}
        added = [key for key, change in changed.items() if change == "added"]
        assert changed[element_key(fixture.objectives[0])] == "changed"
        assert len(added) == 1
        assert diagram.removed_count == 1
        assert diagram.since_number == 1

    def test_without_a_comparison_nothing_is_marked(self) -> None:
        fixture = _phase_one()
        later = self._phase_two(fixture)

        diagram = build_diagram(later)

        assert not any(box.change for box in diagram.boxes)
        assert diagram.earlier_phases == (1,)

    def test_a_later_or_missing_phase_is_no_comparison(self) -> None:
        fixture = _phase_one()
        later = self._phase_two(fixture)
        project_map = later.project_map

        assert phase_diagram(project_map, 1, since_number=2).since_number is None
        assert phase_diagram(project_map, 2, since_number=9).since_number is None
        assert phase_diagram(project_map, 3) is None


class TestWrapping:
    def test_wraps_japanese_by_width_in_units(self) -> None:
        text = "顧客のプロジェクトが進むための学びの場を提供し、半年で継続率を上げる"

        lines = wrap_label(text, 20)

        assert "".join(lines) == text
        assert all(text_units(line) <= 20 + 2 for line in lines)
        assert len(lines) > 1

    def test_keeps_closing_punctuation_off_the_start_of_a_line(self) -> None:
        for width in range(6, 30):
            for line in wrap_label("会議体を整える。「定例」を月一回、必ず開く。", width)[1:]:
                assert line[0] not in NO_LINE_START

    def test_keeps_opening_brackets_off_the_end_of_a_line(self) -> None:
        for width in range(6, 30):
            for line in wrap_label("まず「定例会議」を設ける", width)[:-1]:
                assert line[-1] not in NO_LINE_END

    def test_breaks_english_between_words(self) -> None:
        assert wrap_label("Weekly review of churn numbers", 14) == [
            "Weekly review",
            "of churn",
            "numbers",
        ]

    def test_cuts_a_long_word_and_an_over_long_text_with_an_ellipsis(self) -> None:
        assert wrap_label("x" * 30, 10) == ["x" * 10] * 3
        lines = wrap_label("長" * 200, 10)
        assert len(lines) == MAX_LINES
        assert lines[-1].endswith("…")
