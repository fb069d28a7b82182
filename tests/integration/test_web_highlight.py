"""The workbench's pure helpers: highlighting by offsets, search snippets, chart geometry."""

from __future__ import annotations

from crimewire.records import OffsetMap
from crimewire.web.charts import column_chart, fill_months, share
from crimewire.web.highlight import Segment, Span, find_span, marked, segments, to_clean


def test_segments_cut_at_every_boundary_and_keep_overlaps() -> None:
    text = "Police arrested <b>12</b> men."
    out = segments(text, [Span(0, 30, "evidence", "sentence"), Span(7, 15, "trigger", "arrest")])
    assert "".join(s.text for s in out) == text
    assert [(s.text, s.kinds) for s in out] == [
        ("Police ", ("evidence",)),
        ("arrested", ("evidence", "trigger")),
        (" <b>12</b> men.", ("evidence",)),
    ]
    assert out[1].css == "hl-evidence hl-trigger" and out[1].label == "sentence; arrest"


def test_segments_drop_unknown_kinds_and_clip_spans() -> None:
    out = segments("abc", [Span(-5, 1, "place"), Span(2, 99, "onclick=alert(1)"), Span(2, 2, "person")])
    assert out == [Segment("a", ("place",)), Segment("bc")]


def test_to_clean_maps_original_offsets_through_removed_clutter() -> None:
    offsets = OffsetMap(((0, 10, 5), (6, 20, 4)))  # clean 0-5 <- orig 10-15, clean 6-10 <- orig 20-24
    assert to_clean(offsets, 12) == 2
    assert to_clean(offsets, 21) == 7
    assert to_clean(offsets, 3) is None  # inside the clutter


def test_find_span_trusts_offsets_only_when_they_hold_the_sentence() -> None:
    text = "One. Two killed. Three."
    assert find_span(text, 5, 16, "Two killed.") == (5, 16)
    assert find_span(text, 0, 11, "Two killed.") == (5, 16)
    assert find_span(text, None, None, "Missing.") is None


def test_marked_snippet() -> None:
    out = marked("a \ue000b\ue001 c \ue000d", ("\ue000", "\ue001"))
    assert out == [Segment("a "), Segment("b", ("match",)), Segment(" c "), Segment("d", ("match",))]


def test_column_chart_geometry() -> None:
    chart = column_chart({"2024-01": 2, "2024-02": 0, "2024-03": 4}, width=300, height=100)
    assert chart.top == 4 and len(chart.bars) == 3
    assert chart.bars[2].height == 100 and chart.bars[2].y == 0
    assert chart.bars[0].height == 50 and chart.bars[1].height == 0
    assert column_chart({}).bars == ()


def test_fill_months_fills_gaps_and_caps_the_span() -> None:
    assert fill_months({"2023-11": 1, "2024-02": 3, "unknown": 9}) == {
        "2023-11": 1, "2023-12": 0, "2024-01": 0, "2024-02": 3,
    }
    long = fill_months({"1900-01": 1, "2024-06": 2})
    assert len(long) == 600 and list(long)[-1] == "2024-06"


def test_share() -> None:
    assert share({"a": 4, "b": 1}) == [("a", 4, 100.0), ("b", 1, 25.0)]
