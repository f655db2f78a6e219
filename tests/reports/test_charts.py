import xml.etree.ElementTree as ET
from decimal import Decimal as D

from reports.charts import indicator_chart, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
BANDS = [
    ("AA", D("95")),
    ("A", D("85")),
    ("B", D("75")),
    ("C", D("65")),
    ("D", D("55")),
    ("E", D("50")),
    ("F", D("0")),
]
HISTORY = [
    (2559, D("77.56")),
    (2560, D("79.47")),
    (2561, D("87.29")),
    (2562, D("86.61")),
    (2563, D("91.50")),
]


def _texts(svg: str) -> list[str]:
    return [node.text or "" for node in ET.fromstring(svg).iter(f"{SVG}text")]


def test_it_draws_every_year_and_total_of_the_trend():
    svg = trend_chart(HISTORY, BANDS, title="OIE")
    texts = _texts(svg)
    for year, total in HISTORY:
        assert str(year) in texts
        assert str(total) in texts
    assert len(ET.fromstring(svg).findall(f".//{SVG}circle")) == 5


def test_it_shades_only_the_grade_bands_in_view():
    svg = trend_chart(HISTORY, BANDS, title="OIE")
    labels = [
        node.text
        for node in ET.fromstring(svg).iter(f"{SVG}text")
        if node.get("class") == "band-label"
    ]
    # The lowest total is 77.56, so the scale starts at 70: C is cut, D and below are out of view.
    assert labels == ["C", "B", "A", "AA"]


def test_it_takes_grade_bands_from_the_data():
    svg = trend_chart(HISTORY, [("pass", D("85")), ("fail", D("0"))], title="t")
    labels = [n.text for n in ET.fromstring(svg).iter(f"{SVG}text") if n.get("class")]
    assert "pass" in labels and "fail" in labels and "AA" not in labels


def test_it_breaks_the_line_at_a_missing_year():
    svg = trend_chart([(2561, D("80")), (2562, None), (2563, D("90"))], BANDS, title="t")
    root = ET.fromstring(svg)
    assert root.findall(f".//{SVG}polyline") == []
    assert len(root.findall(f".//{SVG}circle")) == 2


def test_it_escapes_all_text():
    svg = trend_chart(HISTORY, [("<b>", D("0"))], title='</title><script>alert("x")</script>')
    assert "<script>" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == '</title><script>alert("x")</script>'
    bars = indicator_chart(
        [('<img src="file:///etc/passwd">', D("50"))], pass_mark=D(85), title="&", pass_label="<"
    )
    assert "<img" not in bars
    assert '<img src="file:///etc/passwd">' in _texts(bars)


def test_it_writes_thai_digits_when_asked():
    svg = trend_chart(HISTORY, BANDS, title="t", thai=True)
    assert "๙๑.๕๐" in _texts(svg) and "๒๕๖๓" in _texts(svg)
    assert "91.50" not in _texts(svg)


def test_it_colours_bars_against_the_pass_mark():
    svg = indicator_chart(
        [("1", D("90.08")), ("4", D("80.75")), ("9", None)],
        pass_mark=D("85"),
        title="t",
        pass_label="pass",
    )
    root = ET.fromstring(svg)
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    assert fills == ["#15803d", "#c2410c"]
    line = next(node for node in root.iter(f"{SVG}line") if node.get("class") == "pass-mark")
    # 85 on a 0–100 scale from x=210 over 382 units.
    assert float(line.get("x1")) == 210 + 382 * 0.85
    assert "pass 85.00" in _texts(svg)
    assert "–" in _texts(svg)


def test_it_references_nothing_outside_the_svg():
    svg = trend_chart(HISTORY, BANDS, title="t") + indicator_chart(
        [("1", D("1"))], pass_mark=D(85), title="t"
    )
    assert "href" not in svg and "url(" not in svg and "<image" not in svg


def test_it_dashes_the_pass_mark_across_the_trend():
    svg = trend_chart(HISTORY, BANDS, title="OIE", pass_mark=D("85"), pass_label="pass mark")
    root = ET.fromstring(svg)
    line = root.find(f".//{SVG}line[@class='pass-mark']")
    band_a = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "band"][2]  # C, B, A
    # The line runs along the bottom of band A, whose lowest total is the pass mark.
    assert line.get("y1") == line.get("y2")
    assert float(line.get("y1")) == float(band_a.get("y")) + float(band_a.get("height"))
    assert "pass mark 85.00" in _texts(svg)


def test_it_leaves_the_pass_mark_out_when_there_is_none():
    assert "pass-mark" not in trend_chart(HISTORY, BANDS, title="OIE")


def test_it_writes_the_trend_in_thai_digits_when_asked():
    texts = _texts(trend_chart(HISTORY, BANDS, title="t", pass_mark=D("85"), thai=True))
    assert "๒๕๖๓" in texts and "๙๑.๕๐" in texts
    assert not [text for text in texts if any(c.isascii() and c.isdigit() for c in text)]
