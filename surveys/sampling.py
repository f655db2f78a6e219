"""The minimum sample of a round's units, by its instrument's sample rule (data of the version)."""

from __future__ import annotations

from assessments import scoring
from surveys.models import SurveyRound


def sample_rule_for(survey: SurveyRound) -> scoring.SampleRule | None:
    """Return the sample rule of the round's instrument (no query: it is on the instrument)."""
    instrument = survey.instrument
    rule = scoring.SampleRule(
        percent=instrument.sample_percent,
        minimum=instrument.sample_minimum,
        everyone_below=instrument.sample_everyone_below,
        cap_over=instrument.sample_cap_over,
        cap_minimum=instrument.sample_cap_minimum,
    )
    if rule.percent is None and rule.minimum is None and rule.everyone_below is None:
        return None
    return rule


def minimum_sample(rule: scoring.SampleRule | None, population: int) -> int | None:
    """Return the respondents a population needs under the rule; None without a rule."""
    return None if rule is None else scoring.minimum_sample(rule, population)
