from datetime import date

from django.utils import translation

from kizuna.core.charts import (
    SeriesPoint,
    chart_svg,
    spec_for_print,
    time_series_spec,
    week_start,
    weekly_points,
)


def test_week_start_is_the_monday() -> None:
    assert week_start(date(2026, 3, 15)) == date(2026, 3, 9)  # a Sunday
    assert week_start(date(2026, 3, 9)) == date(2026, 3, 9)


def test_weekly_points_fill_missing_weeks_with_zero_oldest_first() -> None:
    points = weekly_points(
        {date(2026, 3, 2): 4, date(2026, 3, 16): 7}, last_week=date(2026, 3, 16), weeks=3
    )
    assert [(point.start, point.end, point.value) for point in points] == [
        (date(2026, 3, 2), date(2026, 3, 8), 4),
        (date(2026, 3, 9), date(2026, 3, 15), 0),
        (date(2026, 3, 16), date(2026, 3, 22), 7),
    ]
    assert [point.label for point in points] == ["3/2", "3/9", "3/16"]


def _points() -> list[SeriesPoint]:
    return weekly_points(
        {date(2026, 1, 5): 12, date(2026, 1, 12): 30}, last_week=date(2026, 1, 12), weeks=2
    )


def test_spec_carries_the_data_and_translated_titles() -> None:
    spec = time_series_spec(
        _points(), value_title="アクティビティ数", period_title="週", description="週ごとの件数"
    )
    assert spec["data"]["values"][1]["value"] == 30
    assert spec["encoding"]["y"]["title"] == "アクティビティ数"
    assert spec["width"] == "container"
    assert "Noto Sans CJK JP" in spec["config"]["font"]
    assert spec_for_print(spec)["width"] == 640


def test_svg_renders_with_the_japanese_axis_title() -> None:
    with translation.override("ja"):
        spec = time_series_spec(
            _points(),
            value_title="アクティビティ数",
            period_title="週の初日",
            description="週ごとの件数",
        )
    svg = chart_svg(spec)
    assert svg.startswith("<svg")
    assert "アクティビティ数" in svg
    assert "週の初日" in svg
    assert "Noto Sans CJK JP" in svg
    # one bar per week
    assert svg.count('aria-roledescription="bar"') == 2
