from outward.lib import suds_charts


def test_bars_sit_on_a_0_to_100_scale_and_a_zero_still_shows():
    chart = suds_charts.bar_chart(
        labels=["1 Nov", "8 Nov"],
        series=[("Expected", [100, 0]), ("Highest", [50, None])],
        title="t",
        description="d",
    )

    baseline = suds_charts.HEIGHT - suds_charts.BOTTOM
    full, zero, half = sorted(chart.marks, key=lambda mark: (mark.series, mark.x))
    assert full.y == suds_charts.TOP and full.y + full.height == baseline
    assert zero.height == suds_charts.MIN_BAR  # a "no" / zero is a thin mark, not nothing
    assert half.y + half.height == baseline and abs(half.height - full.height / 2) < 0.2
    assert len(chart.marks) == 3  # the missing value draws no bar
    assert [mark.label for mark in chart.marks if mark.label] == ["1 Nov", "8 Nov"]


def test_count_bars_scale_to_the_largest_and_start_right_of_the_labels():
    chart = suds_charts.count_bars([("Mind reading", 4), ("Labelling", 1)])
    longest, start = suds_charts.COUNT_MAX, suds_charts.COUNT_X
    assert [bar.width for bar in chart.bars] == [longest, longest / 4]
    assert chart.bar_x == start and chart.bars[1].value_x == start + longest / 4 + 6
    empty = suds_charts.count_bars([])
    assert empty.bars == [] and empty.height > 0


def test_a_0_to_10_scale_for_confidence():
    chart = suds_charts.bar_chart(
        labels=["1 Nov"], series=[("After", [5])], title="t", description="d", top=10, ticks=(0, 10)
    )
    baseline = suds_charts.HEIGHT - suds_charts.BOTTOM
    (mark,) = chart.marks
    assert abs(mark.height - (baseline - suds_charts.TOP) / 2) < 0.2
    assert [tick.value for tick in chart.ticks] == [0, 10]
    assert chart.ticks[1].y == suds_charts.TOP
