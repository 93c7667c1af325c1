"""The project map (プ譜) of one phase drawn as an SVG diagram, laid out as DOMAIN §2 describes.

Four columns, left to right: the eight factors, the measures, the intermediate objectives, then
the goal above its winning conditions; a line joins each measure to each of its objectives, and
each objective to the goal's column. The layout is computed here, in Python, and drawn by the
template `cohorts/includes/diagram.html`, whose autoescaping keeps member text as text.

The layout is a pure function of the phase's rows, ordered explicitly, so the same phase always
gives the same picture (and the same bytes, which tests and printed copies rely on).

SVG has no line wrapping, so labels are wrapped here by character count: a full-width character
(kanji, kana, full-width punctuation) counts two units, a half-width one one unit, and Japanese
line-breaking rules (禁則) keep closing punctuation off the start of a line and opening brackets
off its end.
"""

import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kizuna.cohorts.models import Element, ElementKind, Factor, ObjectiveStatus, Phase, ProjectMap
from kizuna.cohorts.selectors import Change, elements_of, phase_diff, phases_of

FONT_STACK = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif'

FONT_SIZE = 13
SMALL_FONT_SIZE = 11
LINE_HEIGHT = 18
# A half-width character at FONT_SIZE is about half an em wide; a full-width one a whole em.
UNIT_WIDTH = 6.5
PADDING = 10
MAX_LINES = 6
ELLIPSIS = "…"

MARGIN = 24
COLUMN_WIDTH = 200
COLUMN_GAP = 84
HEADER_HEIGHT = 32
BOX_GAP = 12
LEGEND_HEIGHT = 44

# Characters a Japanese line may not start with, and ones it may not end with (JIS X 4051).
NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!)）]］}｝」』】〕〉》〙〗’”ー…‥々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
NO_LINE_END = frozenset("(（[［{｛「『【〔〈《〘〖‘“")

INK = "#1f2933"
MUTED = "#5f6b7a"
LINE = "#9aa5b1"
PAPER = "#ffffff"


@dataclass(frozen=True)
class Palette:
    fill: str
    stroke: str
    ink: str


# Print- and colour-blind-safe: each status also carries its name as text in the box.
STATUS_PALETTE: Mapping[str, Palette] = {
    ObjectiveStatus.NOT_STARTED: Palette(fill="#f1f3f5", stroke="#8a94a0", ink="#3e4852"),
    ObjectiveStatus.ON_TRACK: Palette(fill="#e3effb", stroke="#2f6fb0", ink="#1d4f82"),
    ObjectiveStatus.AT_RISK: Palette(fill="#fdf0dc", stroke="#b36b00", ink="#7a4800"),
    ObjectiveStatus.ACHIEVED: Palette(fill="#e1f3e8", stroke="#1d7a4a", ink="#145635"),
}
KIND_PALETTE: Mapping[str, Palette] = {
    ElementKind.FACTOR: Palette(fill="#fafbfc", stroke="#c4ccd5", ink=INK),
    ElementKind.MEASURE: Palette(fill=PAPER, stroke="#7b8794", ink=INK),
    ElementKind.GOAL: Palette(fill="#fff8e6", stroke="#8a5a00", ink=INK),
    ElementKind.WINNING_CONDITION: Palette(fill="#fffdf5", stroke="#b08a3a", ink=INK),
}
CHANGE_STROKE = "#7c3aed"
WARNING_INK = "#b42318"


def char_units(char: str) -> int:
    # Ambiguous-width characters (○, ※, →) are drawn full width by Japanese fonts.
    return 2 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 1


def text_units(text: str) -> int:
    return sum(char_units(char) for char in text)


def _tokens(text: str, width: int) -> Iterable[str]:
    """Break opportunities: each full-width character, each space, each half-width word.

    A half-width word wider than a line is cut into pieces that fit.
    """
    word = ""
    for char in text:
        if char_units(char) == 1 and not char.isspace():
            word += char
            continue
        if word:
            yield from _cut(word, width)
            word = ""
        yield char
    if word:
        yield from _cut(word, width)


def _cut(word: str, width: int) -> Iterable[str]:
    piece = ""
    for char in word:
        if piece and text_units(piece) + char_units(char) > width:
            yield piece
            piece = ""
        piece += char
    yield piece


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(paragraph, width):
        if line and text_units(line) + text_units(token) > width:
            if token in NO_LINE_START:
                # Hang the punctuation past the edge rather than start a line with it.
                line += token
                continue
            carried = ""
            if line[-1] in NO_LINE_END:
                line, carried = line[:-1], line[-1]
            if line.strip():
                lines.append(line.rstrip())
            line = carried
            if token.isspace():
                continue
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap_label(text: str, width: int, max_lines: int = MAX_LINES) -> list[str]:
    """Lines of at most `width` units (a hanging punctuation mark aside), at most `max_lines`.

    Text past the last line is cut with an ellipsis; the box's tooltip keeps the whole text.
    """
    lines = [
        line
        for paragraph in text.strip().splitlines()
        for line in _wrap_paragraph(paragraph.strip(), width)
    ]
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and text_units(last) + text_units(ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + ELLIPSIS]


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float
    text: str
    size: int = FONT_SIZE
    weight: str = "normal"
    fill: str = INK


@dataclass(frozen=True)
class Box:
    key: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str
    stroke_width: float
    full_text: str
    lines: tuple[TextLine, ...]
    status: str = ""
    change: str = ""
    dashed: bool = False

    @property
    def left(self) -> tuple[float, float]:
        return (self.x, self.y + self.height / 2)

    @property
    def right(self) -> tuple[float, float]:
        return (self.x + self.width, self.y + self.height / 2)

    # The "New" / "Changed" badge sits just above the box's top right corner, clear of its text.
    @property
    def badge_x(self) -> float:
        return self.x + self.width - 2

    @property
    def badge_y(self) -> float:
        return self.y - 3


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    path: str
    kind: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    label: str
    fill: str
    stroke: str
    dashed: bool = False

    @property
    def text_x(self) -> float:
        return self.x + 24

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass(frozen=True)
class Diagram:
    dom_id: str
    title: str
    description: str
    width: float
    height: float
    headers: tuple[TextLine, ...]
    boxes: tuple[Box, ...]
    links: tuple[Link, ...]
    legend: tuple[LegendItem, ...]
    legend_y: float
    since_number: int | None = None
    removed_count: int = 0
    # The phases a reader may compare this one with, for the "changes since" choice.
    earlier_phases: tuple[int, ...] = ()
    font_stack: str = FONT_STACK
    change_stroke: str = CHANGE_STROKE
    line_colour: str = LINE
    muted: str = MUTED


def status_label(status: str) -> str:
    return str(ObjectiveStatus(status).label) if status else ""


def _column_x(index: int) -> float:
    return MARGIN + index * (COLUMN_WIDTH + COLUMN_GAP)


def _line_width() -> int:
    return int((COLUMN_WIDTH - 2 * PADDING) / UNIT_WIDTH)


def _small_line_width() -> int:
    # Headings and footers are smaller but bold, which takes back about one unit in ten.
    return int((COLUMN_WIDTH - 2 * PADDING) / (UNIT_WIDTH * SMALL_FONT_SIZE / FONT_SIZE) * 0.9)


@dataclass
class _Draft:
    """A box before its column places it: what it says, and how it looks."""

    key: str
    kind: str
    full_text: str
    heading: str
    body: list[str]
    palette: Palette
    footer: str = ""
    footer_fill: str = MUTED
    # A DOMAIN §2 check the element fails, in red under everything else.
    warning: str = ""
    status: str = ""
    change: str = ""
    stroke_width: float = 1.0
    dashed: bool = False

    @property
    def heading_lines(self) -> list[str]:
        return wrap_label(self.heading, _small_line_width(), max_lines=2)

    @property
    def footer_lines(self) -> list[str]:
        return wrap_label(self.footer, _small_line_width(), max_lines=3)

    @property
    def warning_lines(self) -> list[str]:
        return wrap_label(self.warning, _small_line_width(), max_lines=2)

    @property
    def height(self) -> float:
        rows = (
            len(self.heading_lines)
            + len(self.body)
            + len(self.footer_lines)
            + len(self.warning_lines)
        )
        return 2 * PADDING + max(rows, 1) * LINE_HEIGHT

    def place(self, x: float, y: float) -> Box:
        text_x = x + PADDING
        rows = [
            *((text, SMALL_FONT_SIZE, "bold", self.palette.ink) for text in self.heading_lines),
            *((text, FONT_SIZE, "normal", self.palette.ink) for text in self.body),
            *((text, SMALL_FONT_SIZE, "bold", self.footer_fill) for text in self.footer_lines),
            *((text, SMALL_FONT_SIZE, "bold", WARNING_INK) for text in self.warning_lines),
        ]
        first_baseline = y + PADDING + LINE_HEIGHT - 5
        lines = [
            TextLine(text_x, first_baseline + row * LINE_HEIGHT, text, size, weight, fill)
            for row, (text, size, weight, fill) in enumerate(rows)
        ]
        return Box(
            key=self.key,
            kind=self.kind,
            x=x,
            y=y,
            width=COLUMN_WIDTH,
            height=self.height,
            fill=self.palette.fill,
            stroke=CHANGE_STROKE if self.change else self.palette.stroke,
            stroke_width=2.5 if self.change else self.stroke_width,
            full_text=self.full_text,
            lines=tuple(lines),
            status=self.status,
            change=self.change,
            dashed=self.dashed,
        )


def element_key(element: Element) -> str:
    return f"{element.kind}-{element.lineage}"


def _placeholder(kind: str, text: str) -> _Draft:
    return _Draft(
        key=f"{kind}-none",
        kind=kind,
        full_text=text,
        heading="",
        body=wrap_label(text, _line_width()),
        palette=Palette(fill=PAPER, stroke=LINE, ink=MUTED),
        dashed=True,
    )


def _factor_drafts(
    factors: Mapping[str, Element], changes: Mapping[uuid.UUID, Change]
) -> list[_Draft]:
    drafts = []
    for factor in Factor:
        element = factors.get(factor.value)
        text = element.text if element is not None else ""
        drafts.append(
            _Draft(
                key=element_key(element) if element is not None else f"factor-{factor.value}",
                kind=ElementKind.FACTOR,
                full_text=f"{factor.label}: {text}" if text else str(factor.label),
                heading=str(factor.label),
                body=wrap_label(text, _line_width(), max_lines=3) if text else ["—"],
                palette=KIND_PALETTE[ElementKind.FACTOR],
                change=changes.get(element.lineage, "") if element is not None else "",
            )
        )
    return drafts


def _stack(drafts: Sequence[_Draft], column: int, top: float, height: float) -> list[Box]:
    """Boxes one under another, the column centred in the drawing's height."""
    total = sum(draft.height for draft in drafts) + BOX_GAP * max(len(drafts) - 1, 0)
    y = top + (height - total) / 2
    boxes = []
    for draft in drafts:
        boxes.append(draft.place(_column_x(column), y))
        y += draft.height + BOX_GAP
    return boxes


def _curve(start: tuple[float, float], end: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = start, end
    bend = (x2 - x1) / 2
    return (
        f"M {x1:.1f} {y1:.1f} C {x1 + bend:.1f} {y1:.1f}, "
        f"{x2 - bend:.1f} {y2:.1f}, {x2:.1f} {y2:.1f}"
    )


def _objective_draft(objective: Element, *, served: bool, change: str) -> _Draft:
    palette = STATUS_PALETTE.get(objective.status, STATUS_PALETTE[ObjectiveStatus.NOT_STARTED])
    status = status_label(objective.status)
    return _Draft(
        key=element_key(objective),
        kind=ElementKind.OBJECTIVE,
        full_text=f"{objective.text} ({status})",
        heading="",
        body=wrap_label(objective.text, _line_width()),
        palette=palette,
        footer=f"● {status}",
        footer_fill=palette.ink,
        # DOMAIN §2's check: an objective no measure works towards is flagged on the map.
        warning="" if served else _("No measure yet"),
        status=objective.status,
        change=change,
        stroke_width=1.5,
    )


def _measure_draft(measure: Element, *, linked: bool, change: str) -> _Draft:
    return _Draft(
        key=element_key(measure),
        kind=ElementKind.MEASURE,
        full_text=measure.text,
        heading="",
        body=wrap_label(measure.text, _line_width()),
        palette=KIND_PALETTE[ElementKind.MEASURE],
        warning="" if linked else _("Not linked to an objective"),
        change=change,
    )


def _goal_draft(goal: Element, *, change: str) -> _Draft:
    return _Draft(
        key=element_key(goal),
        kind=ElementKind.GOAL,
        full_text=goal.text,
        heading=str(ElementKind.GOAL.label),
        body=wrap_label(goal.text, _line_width()) or ["—"],
        palette=KIND_PALETTE[ElementKind.GOAL],
        change=change,
        stroke_width=2.0,
    )


def _winning_condition_draft(condition: Element, *, change: str) -> _Draft:
    target = _("Target: %(target)s") % {"target": condition.target} if condition.target else ""
    return _Draft(
        key=element_key(condition),
        kind=ElementKind.WINNING_CONDITION,
        full_text=f"{condition.text} ({target})" if target else condition.text,
        heading=str(ElementKind.WINNING_CONDITION.label),
        body=wrap_label(condition.text, _line_width()) or ["—"],
        palette=KIND_PALETTE[ElementKind.WINNING_CONDITION],
        footer=target,
        footer_fill=KIND_PALETTE[ElementKind.GOAL].stroke,
        change=change,
    )


def lay_out(
    elements: Sequence[Element],
    *,
    dom_id: str,
    title: str,
    changes: Mapping[uuid.UUID, Change] | None = None,
    since_number: int | None = None,
    removed_count: int = 0,
    earlier_phases: tuple[int, ...] = (),
) -> Diagram:
    """Place a phase's elements, each measure's `objectives` prefetched."""
    changes = changes or {}
    ordered = sorted(elements, key=lambda element: (element.position, element.pk))
    by_kind: dict[str, list[Element]] = {kind.value: [] for kind in ElementKind}
    for element in ordered:
        by_kind[element.kind].append(element)
    objective_rank = {o.pk: rank for rank, o in enumerate(by_kind[ElementKind.OBJECTIVE])}
    linked_objectives = {
        measure.pk: sorted(
            (o.pk for o in measure.objectives.all() if o.pk in objective_rank),
            key=objective_rank.__getitem__,
        )
        for measure in by_kind[ElementKind.MEASURE]
    }
    served = {o for objectives in linked_objectives.values() for o in objectives}
    # A measure sits level with the first objective it serves, which keeps lines short and few
    # of them crossing; measures serving nothing go last.
    measures = sorted(
        by_kind[ElementKind.MEASURE],
        key=lambda m: (
            objective_rank[linked_objectives[m.pk][0]]
            if linked_objectives[m.pk]
            else len(objective_rank),
            m.position,
            m.pk,
        ),
    )

    def change_of(element: Element) -> str:
        return changes.get(element.lineage, "")

    objective_drafts = [
        _objective_draft(o, served=o.pk in served, change=change_of(o))
        for o in by_kind[ElementKind.OBJECTIVE]
    ] or [_placeholder(ElementKind.OBJECTIVE, _("No intermediate objectives yet"))]
    measure_drafts = [
        _measure_draft(m, linked=bool(linked_objectives[m.pk]), change=change_of(m))
        for m in measures
    ] or [_placeholder(ElementKind.MEASURE, _("No measures yet"))]
    goal_drafts = [_goal_draft(g, change=change_of(g)) for g in by_kind[ElementKind.GOAL]] or [
        _placeholder(ElementKind.GOAL, _("No goal yet"))
    ]
    goal_drafts += [
        _winning_condition_draft(w, change=change_of(w))
        for w in by_kind[ElementKind.WINNING_CONDITION]
    ]
    factor_drafts = _factor_drafts({f.factor: f for f in by_kind[ElementKind.FACTOR]}, changes)

    columns = [factor_drafts, measure_drafts, objective_drafts, goal_drafts]
    top = MARGIN + HEADER_HEIGHT
    body_height = max(
        sum(draft.height for draft in column) + BOX_GAP * (len(column) - 1) for column in columns
    )
    placed = [_stack(column, index, top, body_height) for index, column in enumerate(columns)]
    boxes = {box.key: box for column in placed for box in column}
    middle = top + body_height / 2

    links = [
        Link(
            source=element_key(measure),
            target=element_key(objective),
            path=_curve(boxes[element_key(measure)].right, boxes[element_key(objective)].left),
            kind="measure-objective",
        )
        for measure in measures
        for objective in by_kind[ElementKind.OBJECTIVE]
        if objective.pk in linked_objectives[measure.pk]
    ]
    links += [
        Link(
            source=box.key,
            target="goal-column",
            path=_curve(box.right, (_column_x(3) - 6, middle)),
            kind="objective-goal",
        )
        for box in placed[2]
        if not box.dashed
    ]
    links.append(
        Link(
            source="factor-column",
            target="measure-column",
            path=_curve((_column_x(0) + COLUMN_WIDTH, middle), (_column_x(1) - 6, middle)),
            kind="factor-measure",
        )
    )

    headers = tuple(
        TextLine(_column_x(index) + COLUMN_WIDTH / 2, MARGIN + 14, text, FONT_SIZE, "bold")
        for index, text in enumerate(
            [
                _("Eight factors"),
                pgettext("project map", "Measures"),
                _("Intermediate objectives"),
                _("Goal and winning conditions"),
            ]
        )
    )
    width = _column_x(3) + COLUMN_WIDTH + MARGIN
    legend_y = top + body_height + MARGIN
    legend = _legend(legend_y, since_number=since_number)
    description = _(
        "Eight factors on the left, measures linked to the intermediate objectives they serve, "
        "and the goal with its winning conditions on the right."
    )
    return Diagram(
        dom_id=dom_id,
        title=title,
        description=description,
        width=width,
        height=legend_y + LEGEND_HEIGHT,
        headers=headers,
        boxes=tuple(box for column in placed for box in column),
        links=tuple(links),
        legend=legend,
        legend_y=legend_y,
        since_number=since_number,
        removed_count=removed_count,
        earlier_phases=earlier_phases,
    )


def _legend(y: float, *, since_number: int | None) -> tuple[LegendItem, ...]:
    entries = [
        (status_label(status), STATUS_PALETTE[status].fill, STATUS_PALETTE[status].stroke, False)
        for status in ObjectiveStatus
    ]
    if since_number is not None:
        label = _("Added or changed since phase %(number)s") % {"number": since_number}
        entries.append((label, PAPER, CHANGE_STROKE, True))
    items = []
    x = float(MARGIN)
    for label, fill, stroke, dashed in entries:
        items.append(LegendItem(x=x, y=y, label=label, fill=fill, stroke=stroke, dashed=dashed))
        x += 28 + text_units(label) * UNIT_WIDTH + 24
    return tuple(items)


def build_diagram(phase: Phase, *, since: Phase | None = None) -> Diagram:
    """The diagram of `phase`; with `since`, what was added or changed after that phase stands out."""
    changes: dict[uuid.UUID, Change] = {}
    removed = 0
    if since is not None:
        for diff in phase_diff(since, phase):
            if diff.change in (Change.ADDED, Change.CHANGED):
                changes[diff.lineage] = diff.change
            elif diff.change == Change.REMOVED:
                removed += 1
    project_map = phase.project_map
    return lay_out(
        list(elements_of(phase)),
        dom_id=f"project-map-{project_map.pk}-phase-{phase.number}",
        title=_("%(project)s, phase %(number)s")
        % {"project": project_map.title, "number": phase.number},
        changes=changes,
        since_number=since.number if since is not None else None,
        removed_count=removed,
        earlier_phases=tuple(
            phases_of(project_map)
            .filter(number__lt=phase.number)
            .order_by("number")
            .values_list("number", flat=True)
        ),
    )


def phase_diagram(
    project_map: ProjectMap, number: int, *, since_number: int | None = None
) -> Diagram | None:
    """The diagram of the map's phase `number`, None when there is no such phase.

    `since_number` names an earlier phase to compare with; any other number is ignored, since
    a comparison is only a highlight and a stale choice should not break the picture.
    """
    phases = {phase.number: phase for phase in phases_of(project_map).filter(number__lte=number)}
    phase = phases.get(number)
    if phase is None:
        return None
    since = phases.get(since_number) if since_number is not None and since_number < number else None
    return build_diagram(phase, since=since)
