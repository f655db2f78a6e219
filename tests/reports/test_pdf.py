import subprocess
import unicodedata
from unittest import mock

import pytest
from django.conf import settings

from reports import pdf
from reports.pdf import PDF_BASE_URL, RefusedURL, StaticFilesFetcher, html_to_pdf, static_path_for

THAI_PAGE = (
    '<!doctype html><html lang="th"><head><meta charset="utf-8">'
    '<link rel="stylesheet" href="/static/css/pdf.css"></head><body>'
    "<p>ผลการประเมิน ITA 2563 ได้คะแนน 91.50</p>{extra}</body></html>"
)


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_it_resolves_a_static_url_to_the_project_file():
    path = static_path_for(f"{PDF_BASE_URL}static/css/pdf.css")
    assert path == settings.BASE_DIR / "static" / "css" / "pdf.css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/static/css/pdf.css",
        "ftp://example.com/x",
        "data:image/svg+xml;base64,PHN2Zy8+",
        f"{PDF_BASE_URL}etc/passwd",
        f"{PDF_BASE_URL}static/../manage.py",
        f"{PDF_BASE_URL}static/%2e%2e/manage.py",
        f"{PDF_BASE_URL}static//etc/passwd",
        f"{PDF_BASE_URL}static/css\\..\\..\\manage.py",
        f"{PDF_BASE_URL}static/css/missing.css",
        "https://pdf-static.invalid.example.com/static/css/pdf.css",
    ],
)
def test_it_refuses_everything_but_project_static_files(url):
    with pytest.raises(RefusedURL):
        static_path_for(url)


def test_the_fetcher_serves_static_files_with_their_type():
    response = StaticFilesFetcher()(f"{PDF_BASE_URL}static/fonts/sarabun/Sarabun_700Bold.ttf")
    assert response.read()[:4] == b"\x00\x01\x00\x00"
    assert response.content_type == "font/ttf"


def test_it_embeds_sarabun_and_keeps_thai_text(tmp_path):
    data = html_to_pdf(THAI_PAGE.format(extra=""))
    assert data.startswith(b"%PDF-")
    fonts = _fonts(data, tmp_path)
    assert "Sarabun" in fonts
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5:-3] == ["yes", "yes"], line  # embedded, subset
    text = _text(data, tmp_path)
    assert "91.50" in text and "ITA 2563" in text and "ผลการประเมิน" in text


def test_it_never_reads_files_or_the_network_named_in_markup(tmp_path):
    extra = (
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        "<div style=\"background: url('https://example.com/bg.png')\">x</div>"
    )
    served = []
    real_static_path_for = pdf.static_path_for

    def spy(url):
        path = real_static_path_for(url)
        served.append(path)
        return path

    with (
        mock.patch.object(pdf, "static_path_for", side_effect=spy) as resolver,
        mock.patch("urllib.request.OpenerDirector.open") as network,
    ):
        data = html_to_pdf(THAI_PAGE.format(extra=extra))
    assert data.startswith(b"%PDF-")
    network.assert_not_called()
    asked = [call.args[0] for call in resolver.call_args_list]
    # The renderer asked for the references in the markup, and the fetcher refused them all.
    assert "file:///etc/passwd" in asked and "http://127.0.0.1:9/x.png" in asked
    assert served and all(path.is_relative_to(settings.BASE_DIR / "static") for path in served)


# Words with sara am (ำ), alone and under each tone mark, beside words with sara aa (า): the
# PDF's text must give both back, whichever it met first.
SARA_AM_WORDS = "การ ดำเนินการ กำหนด ประจำปี ทำงาน น้ำ ต่ำ ค่ำ ซ้ำ จ๋ำ ก๊ำ งาน"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    "style",
    [
        "",
        "font-weight: 600",
        "font-weight: 700",
        "font-style: italic",
        "font-weight: 700; font-style: italic",
    ],
)
def test_it_extracts_sara_am_as_it_was_rendered(tmp_path, style):
    page = THAI_PAGE.format(extra=f'<p style="{style}">{SARA_AM_WORDS}</p>')
    words = _nfkc(_text(html_to_pdf(page), tmp_path)).split()
    for word in SARA_AM_WORDS.split():
        assert _nfkc(word) in words, word


def test_the_warm_up_lays_out_every_sarabun_face_the_reports_use(tmp_path):
    made = []
    with mock.patch.object(pdf, "html_to_pdf", lambda html: made.append(html_to_pdf(html))):
        assert pdf.warm_up() > 0
    fonts = _fonts(made[0], tmp_path)
    for face in ("+Sarabun ", "+Sarabun-Bold ", "+Sarabun-Italic ", "+Sarabun-Bold-Italic "):
        assert face in fonts, fonts


def test_gunicorn_warms_each_worker_before_it_serves():
    import runpy

    hooks = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    worker = mock.Mock()
    hooks["post_worker_init"](worker)
    message, seconds = worker.log.info.call_args[0]
    assert message == "PDF renderer warmed up in %.2f s" and seconds > 0
    with mock.patch.object(pdf, "html_to_pdf", side_effect=OSError("no fonts")):
        hooks["post_worker_init"](worker)  # logged, and the worker goes on
    worker.log.exception.assert_called_once()
