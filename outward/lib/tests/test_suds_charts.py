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
