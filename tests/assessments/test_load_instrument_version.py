import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments import demo
from assessments.models import InstrumentVersion, Question

pytestmark = pytest.mark.django_db


def test_it_loads_a_version_from_json_twice_to_the_same_rows():
    out = io.StringIO()
    call_command("load_instrument_version", str(demo.DATA), stdout=out)
    assert "2563: 88 questions and items, 10 indicators" in out.getvalue()
    call_command("load_instrument_version", str(demo.DATA), stdout=io.StringIO())
    assert Question.objects.count() == 88


def test_it_dumps_a_version_that_loads_as_next_year(tmp_path):
    call_command("load_instrument_version", str(demo.DATA), stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_instrument_version", "--dump", "2563", stdout=out)
    data = json.loads(out.getvalue())
    data["fiscal_year"] = 2564
    data["instruments"][0]["indicators"][0]["questions"].append({"code": "I31", "text_th": "ใหม่"})
    path = tmp_path / "ita2564.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_instrument_version", str(path), stdout=io.StringIO())
    version = InstrumentVersion.objects.get(fiscal_year=2564)
    assert version.questions.get(code="I31").indicator.number == 1
    assert not InstrumentVersion.objects.get(fiscal_year=2563).questions.filter(code="I31")


def test_it_refuses_bad_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot load"):
        call_command("load_instrument_version", str(broken))
    bad = tmp_path / "bad.json"
    data = json.loads(demo.DATA.read_text(encoding="utf-8"))
    data["instruments"][0]["weight"] = "3"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="invalid"):
        call_command("load_instrument_version", str(bad))
    assert not InstrumentVersion.objects.exists()
    with pytest.raises(CommandError, match="no instrument version"):
        call_command("load_instrument_version", "--dump", "2570")
    with pytest.raises(CommandError, match="give a JSON file"):
        call_command("load_instrument_version")
