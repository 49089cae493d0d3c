"""The server-drawn bar charts: an axis that fits its labels at any size, numbers people can read."""

from recruiting.views.charts import bar_chart


def test_large_counts_get_short_axis_labels_and_grouped_totals():
    chart = bar_chart([("0–1", 40_000), ("1–2", 40_000), ("9–10", 0)], title="Scores", unit="results")
    labels = [label for label, _ in chart.ticks]
    assert labels[0] == "0" and labels[-1] == "40k" and all(len(label) <= 5 for label in labels)
    assert chart.summary == "80,000 results in all; most in 0–1 (40,000)."
    assert chart.bars[0].height == chart.baseline - chart.bars[0].y  # the top bar reaches the axis top


def test_small_counts_keep_their_plain_numbers():
    chart = bar_chart([("a", 3), ("b", 1)], title="t", unit="results")
    assert [label for label, _ in chart.ticks] == ["0", "1", "2", "3"]
    assert chart.summary == "4 results in all; most in a (3)."


def test_the_axis_top_is_a_round_number_above_the_highest_bar():
    for peak, top in ((7, 8), (1440, 1500), (43_113, 60_000), (200_000, 200_000)):
        chart = bar_chart([("x", peak)], title="t", unit="u")
        assert chart.ticks[-1][0] in (str(top), f"{top // 1000}k"), (peak, chart.ticks)
