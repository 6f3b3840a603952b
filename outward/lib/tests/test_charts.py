"""Server-drawn SVG line charts: valid, escaped, accessible, and free of inline styles."""

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from outward.lib.charts import line_chart

SVG = "{http://www.w3.org/2000/svg}"

WEEKS = [("Week 1", 3.0), ("Week 2", 4.0), ("Week 3", None), ("Week 4", 5.0), ("Week 5", 6.0)]


def draw(points=WEEKS, **options) -> str:
    arguments = {
        "y_min": 0,
        "y_max": 10,
        "title": "Mood",
        "description": "Mood by week, from 3 to 6.",
    }
    arguments.update(options)
    return line_chart(points, **arguments)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def polylines(root: ET.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
        for line in root.iter(f"{SVG}polyline")
    ]


def texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def test_returns_safe_valid_svg():
    svg = draw()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 600 200"
    assert root.get("class") == "chart"


def test_is_an_image_labelled_by_its_own_title_and_desc():
    root = parse(draw())
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, "Mood")
    assert (desc.get("id"), desc.text) == (desc_id, "Mood by week, from 3 to 6.")
    assert title_id != desc_id


def test_ids_are_unique_between_charts_on_one_page():
    first, second = parse(draw()), parse(draw())
    assert set(first.get("aria-labelledby").split()).isdisjoint(
        second.get("aria-labelledby").split()
    )


def test_no_inline_styles():
    svg = draw(y_label="Score")
    assert "style=" not in svg
    assert "<style" not in svg
    assert all("style" not in element.attrib for element in parse(svg).iter())


def test_uses_the_documented_classes():
    root = parse(draw())
    classes = {element.get("class") for element in root.iter() if element.get("class")}
    assert classes == {"chart", "chart-grid", "chart-line", "chart-point", "chart-label"}


def test_every_text_is_escaped():
    svg = draw(
        [("<b>&", 1.0), ('Tom\'s "week"', 2.0)],
        title="<script>alert(1)</script>",
        description="Fish & chips",
        y_label="<i>score</i>",
    )
    assert "<b>" not in svg and "<script>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;&amp;" in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert root.find(f"{SVG}desc").text == "Fish & chips"
    assert "<b>&" in texts(root)
    assert "<i>score</i>" in texts(root)
    assert "<b>&: 1" in [title.text for title in root.iter(f"{SVG}title")]


def test_one_unbroken_line_through_every_point():
    root = parse(draw([("a", 1), ("b", 2), ("c", 3)]))
    (line,) = polylines(root)
    assert len(line) == 3
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    xs = [x for x, _y in line]
    assert xs == sorted(xs)


def test_a_gap_breaks_the_line_in_two():
    root = parse(draw())
    lines = polylines(root)
    assert len(lines) == 2
    assert [len(line) for line in lines] == [2, 2]
    assert len(list(root.iter(f"{SVG}circle"))) == 4  # no point for the gap


def test_a_value_alone_between_gaps_is_a_point_without_a_line():
    root = parse(draw([("a", 1), ("b", None), ("c", 2), ("d", None), ("e", 3), ("f", 4)]))
    assert [len(line) for line in polylines(root)] == [2]
    assert len(list(root.iter(f"{SVG}circle"))) == 4


def test_a_nan_value_is_a_gap():
    root = parse(draw([("a", 1), ("b", float("nan")), ("c", 2), ("d", 3)]))
    assert [len(line) for line in polylines(root)] == [2]


def test_higher_values_are_drawn_higher():
    root = parse(draw([("a", 2), ("b", 8)]))
    (low, high) = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert high < low


def test_values_are_clamped_to_the_axis():
    root = parse(draw([("low", -5), ("min", 0), ("max", 10), ("high", 99)]))
    cys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert cys[0] == cys[1]
    assert cys[2] == cys[3]
    assert all(0 <= cy <= 200 for cy in cys)
    # The tooltip still tells the true value.
    assert "high: 99" in [title.text for title in root.iter(f"{SVG}title")]


def test_gridlines_with_round_tick_labels():
    root = parse(draw(y_min=0, y_max=100))
    grid = [line for line in root.iter(f"{SVG}line") if line.get("class") == "chart-grid"]
    assert len(grid) == 5
    for label in ("0", "25", "50", "75", "100"):
        assert label in texts(root)


@pytest.mark.parametrize(
    ("y_min", "y_max", "ticks"),
    [
        (1, 5, ["1", "2", "3", "4", "5"]),
        (0, 27, ["0", "10", "20"]),
        (20, 80, ["20", "40", "60", "80"]),
        (0, 1, ["0", "0.25", "0.5", "0.75", "1"]),
    ],
)
def test_tick_values(y_min, y_max, ticks):
    root = parse(draw([("a", y_min)], y_min=y_min, y_max=y_max))
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels == ticks


def test_x_labels_all_shown_when_few():
    root = parse(draw())
    for label, _value in WEEKS:
        assert label in texts(root)


def test_x_labels_thinned_out_when_many():
    points = [(f"W{n}", float(n % 10)) for n in range(1, 53)]
    root = parse(draw(points))
    shown = [text for text in texts(root) if text.startswith("W")]
    assert "W1" in shown
    assert 2 <= len(shown) <= 12
    assert len(list(root.iter(f"{SVG}circle"))) == 52  # every point is still drawn


def test_the_y_label_is_drawn_when_given():
    assert "Score" in texts(parse(draw(y_label="Score")))
    assert "Score" not in texts(parse(draw()))


def test_a_single_point_is_centred():
    root = parse(draw([("Only", 5)], width=400))
    (circle,) = root.iter(f"{SVG}circle")
    assert 150 < float(circle.get("cx")) < 250
    assert polylines(root) == []


def test_size_sets_the_view_box():
    assert parse(draw(width=320, height=120)).get("viewBox") == "0 0 320 120"


@pytest.mark.parametrize("points", [[], [("Week 1", None), ("Week 2", None)]])
def test_no_data_draws_nothing_and_says_so(points):
    svg = draw(points, description="Mood by week.")
    root = parse(svg)
    assert root.find(f"{SVG}desc").text == "Mood by week. No data yet."
    assert root.get("role") == "img"
    for tag in ("polyline", "circle", "line"):
        assert list(root.iter(f"{SVG}{tag}")) == []
    assert "style=" not in svg


def test_no_data_with_no_description():
    root = parse(draw([], description=""))
    assert root.find(f"{SVG}desc").text == "No data yet."


@pytest.mark.parametrize(("y_min", "y_max"), [(10, 10), (10, 0)])
def test_an_empty_range_is_an_error(y_min, y_max):
    with pytest.raises(ValueError, match="y_max"):
        draw(y_min=y_min, y_max=y_max)
