from decimal import Decimal

import pytest

from assessments import scoring
from assessments.versions import version_spec
from tests.assessments.builders import load_version_2563

pytestmark = pytest.mark.django_db
D = Decimal


def test_it_builds_the_scoring_spec_from_the_rows():
    spec = version_spec(load_version_2563())
    assert [(i.code, i.weight) for i in spec.instruments] == [
        ("IIT", D("0.30")),
        ("EIT", D("0.30")),
        ("OIT", D("0.40")),
    ]
    iit = spec.instruments[0]
    assert iit.indicators[0].questions == ("I1", "I2", "I3", "I4", "I5", "I6")
    oit = spec.instruments[2]
    assert [(s.key, len(s.items)) for s in oit.indicators[0].sub_indicators] == [
        ("9.1", 9), ("9.2", 8), ("9.3", 7), ("9.4", 4), ("9.5", 5)
    ]  # fmt: skip
    assert oit.indicators[1].sub_indicators[1].items == ("O42", "O43")
    assert spec.pass_mark == D("85.00")
    assert scoring.question_weight(spec, "I14") == D("0.01")
