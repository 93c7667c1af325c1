"""One chart definition for the page and the PDF: Vega-Lite specs built with Altair.

A page passes the spec to the browser with `json_script`, where static/js/charts.js draws it
with the vendored vega-embed; a report renders the same spec to SVG on the server with
vl-convert (`chart_svg`), no browser needed. Every chart is shown with its data table, so
the caller keeps the points it charted (`SeriesPoint`) and renders them as HTML too.

Titles and labels arrive already translated: call these while the viewer's language is active.
"""

import copy
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import formats

# The stylesheet's stack: Japanese glyphs from Noto Sans CJK JP (Debian's fonts-noto-cjk, also
# what the PDF uses), then the fonts a Mac or Windows viewer has.
FONT_STACK = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
    '"Yu Gothic", Meiryo, system-ui, sans-serif'
)
INK = "#1f2933"
MUTED = "#5f6b7a"
LINE = "#d9dee5"
BRAND = "#2f5d8a"
PRINT_WIDTH = 640


@dataclass(frozen=True)
class SeriesPoint:
    """One bar of a time series: the period it covers, how it is labelled, and its value."""

    start: date
    end: date
    value: int
    label: str  # short, under the bar: "3/9"
    period: str  # in full, in the tooltip and the data table: "2026/03/09 – 2026/03/15"


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in (ISO weeks, as PostgreSQL's date_trunc('week'))."""
    return day - timedelta(days=day.weekday())


def weekly_points(counts: Mapping[date, int], *, last_week: date, weeks: int) -> list[SeriesPoint]:
    """`weeks` consecutive weeks ending with the one starting `last_week` (a Monday), oldest
    first; a week missing from `counts` (keyed by their Monday) counts 0."""
    first = last_week - timedelta(weeks=weeks - 1)
    points = []
    for index in range(weeks):
        start = first + timedelta(weeks=index)
        end = start + timedelta(days=6)
        period = f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} – " + formats.date_format(
            end, "SHORT_DATE_FORMAT"
        )
        points.append(
            SeriesPoint(
                start=start,
                end=end,
                value=int(counts.get(start, 0)),
                label=f"{start.month}/{start.day}",
                period=period,
            )
        )
    return points


def time_series_spec(
    points: Sequence[SeriesPoint],
    *,
    value_title: str,
    period_title: str,
    description: str,
    height: int = 220,
    colour: str = BRAND,
) -> dict[str, Any]:
    """A bar per period, oldest on the left, as a Vega-Lite spec (a plain dict, JSON-ready).

    The width follows the element it is drawn in ("container"); `chart_svg` fixes one for
    print. Labels thin out on a narrow screen rather than overlap.
    """
    spec = copy.deepcopy(
        _time_series_template(value_title, period_title, description, height, colour)
    )
    spec["data"] = {
        "values": [
            {
                "start": point.start.isoformat(),
                "label": point.label,
                "period": point.period,
                "value": point.value,
            }
            for point in points
        ]
    }
    return spec


@functools.lru_cache(maxsize=64)
def _time_series_template(
    value_title: str, period_title: str, description: str, height: int, colour: str
) -> dict[str, Any]:
    """The chart without its data. Altair takes tens of milliseconds to build and serialise a
    chart, so each set of titles (one per language) is built once per process; the result is
    a pure function of the arguments and is copied before use, never changed in place."""
    import altair as alt  # noqa: PLC0415 (a third of a second to import: only where drawn)

    chart = (
        alt.Chart(alt.Data(values=[]), description=description)  # type: ignore[no-untyped-call]
        .mark_bar(color=colour, cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        .encode(
            x=alt.X(
                "label:O",
                sort=None,
                title=period_title,
                axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelPadding=4),
            ),
            y=alt.Y(
                "value:Q",
                title=value_title,
                axis=alt.Axis(format=",d", tickMinStep=1),
                scale=alt.Scale(domainMin=0, nice=True),
            ),
            tooltip=[
                alt.Tooltip("period:N", title=period_title),
                alt.Tooltip("value:Q", title=value_title, format=",d"),
            ],
        )
        .properties(width="container", height=height, autosize={"type": "fit-x"})
        .configure(font=FONT_STACK, background="transparent")
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=MUTED,
            titleColor=INK,
            gridColor=LINE,
            domainColor=LINE,
            tickColor=LINE,
            labelFontSize=11,
            titleFontSize=12,
            titleFontWeight="normal",
        )
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


def spec_for_print(spec: Mapping[str, Any], *, width: int = PRINT_WIDTH) -> dict[str, Any]:
    """The spec with a fixed width and a white background, for SVG and PDF."""
    printable = dict(spec)
    if printable.get("width") == "container":
        printable["width"] = width
    printable.pop("autosize", None)
    config = dict(printable.get("config", {}))
    config["background"] = "white"
    printable["config"] = config
    return printable


def chart_svg(spec: Mapping[str, Any], *, width: int = PRINT_WIDTH) -> str:
    """The chart as an SVG document (text kept as text, so Japanese titles stay searchable)."""
    import vl_convert  # noqa: PLC0415

    svg: str = vl_convert.vegalite_to_svg(spec_for_print(spec, width=width))
    return svg
