"""python manage.py import_scores FILE.xlsx [--dry-run]."""

import pytest
from django.core.management import CommandError, call_command

from assessments.models import IndicatorScore
from imports.models import ImportBatch
from tests.assessments.builders import load_version_2563
from tests.imports.builders import database_state, english, score_workbook

pytestmark = pytest.mark.usefixtures(english.__name__)


@pytest.fixture
def workbook(tmp_path, personas):
    load_version_2563()
    path = tmp_path / "scores.xlsx"
    path.write_bytes(
        score_workbook(indicator_scores=[[2563, "oie", 1, 90], [2563, "oie", 2, None]])
    )
    return path


def test_it_reports_every_row_on_a_dry_run_and_stores_nothing(workbook, capsys):
    before = database_state()
    call_command("import_scores", str(workbook), "--dry-run")
    out = capsys.readouterr().out
    assert "indicator scores\t2\tnew\toie · 2563 · 1\t90.00" in out
    assert "indicator scores\t3\tskipped" in out
    assert "scores.xlsx: new 1, changed 0, unchanged 0, skipped 1, error 0" in out
    assert "dry run: nothing was stored" in out
    assert database_state() == before


def test_it_imports_and_records_the_user(workbook, capsys):
    call_command("import_scores", str(workbook), "--user", "admin")
    batch = ImportBatch.objects.get()
    assert batch.uploaded_by.username == "admin"
    assert IndicatorScore.objects.get().batch == batch
    assert f"stored as batch {batch.pk}: 1 new, 0 changed" in capsys.readouterr().out
    call_command("import_scores", str(workbook), "--summary")
    assert "nothing to store" in capsys.readouterr().out


def test_it_exits_non_zero_naming_the_problem(tmp_path, personas, capsys):
    load_version_2563()
    path = tmp_path / "bad.xlsx"
    path.write_bytes(score_workbook(question_scores=[[2563, "oie", "I1", "สูง"]]))
    before = database_state()
    with pytest.raises(CommandError, match="bad.xlsx refused: nothing was stored"):
        call_command("import_scores", str(path))
    captured = capsys.readouterr()
    assert "bad.xlsx, sheet “question scores”, row 2, column D (score): “สูง” is not a number." in (
        captured.err
    )
    assert "question scores\t2\terror" in captured.out
    assert database_state() == before


def test_it_refuses_a_missing_file_or_user(tmp_path, workbook):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_scores", str(tmp_path / "nothing.xlsx"))
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("import_scores", str(workbook), "--user", "nobody")


def test_it_imports_every_agencys_rows_from_the_shell_whoever_is_named(tmp_path, personas):
    """The shell is trusted like a data steward: --user names the importer, it limits nothing."""
    load_version_2563()
    path = tmp_path / "national.xlsx"
    path.write_bytes(score_workbook(indicator_scores=[[2563, "oie", 1, 90], [2563, "diw", 1, 80]]))
    call_command("import_scores", str(path), "--user", "admin")
    assert IndicatorScore.objects.count() == 2
    assert ImportBatch.objects.get().agency is None
