"""IIT/EIT answers to scores: pure functions from a version's answer scales to every figure.

Nothing here imports Django. A respondent answers each question, or each of its sub-items
(ข้อย่อย), with one option of a scale; an option is worth its points, read on the scale's own
range (lowest points → 0, highest → 100) so that scales of 4 or 6 levels, or yes/no, all give
0–100. A negative (reversed) question or sub-item counts 100 minus that. A respondent's question
score is the mean of their sub-items; the question's score is the mean over the respondents who
answered it; indicators and instruments then follow the version's aggregation through
assessments.scoring.compute, as every other figure does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from assessments import scoring

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class OptionSpec:
    order: int
    points: Decimal | None


@dataclass(frozen=True)
class ScaleSpec:
    code: str
    options: tuple[OptionSpec, ...]

    def worth(self, order: int, *, reversed: bool = False) -> Decimal:
        """Return an option's worth on 0–100 (reversed for a negative item)."""
        points = {option.order: option.points for option in self.options}
        if order not in points:
            raise ValueError(f"scale {self.code} has no option {order}")
        if any(value is None for value in points.values()):
            raise ValueError(f"scale {self.code} has no points: no source gives them")
        low, high = min(points.values()), max(points.values())
        if high == low:
            raise ValueError(f"scale {self.code} gives every option the same points")
        value = (points[order] - low) * HUNDRED / (high - low)
        return HUNDRED - value if reversed else value


@dataclass(frozen=True)
class SubItemSpec:
    code: str
    scale: ScaleSpec
    reversed: bool = False


@dataclass(frozen=True)
class QuestionScale:
    """A question as answered: on its own scale, or through its sub-items."""

    code: str
    scale: ScaleSpec | None
    reversed: bool = False
    sub_items: tuple[SubItemSpec, ...] = ()


# One respondent's answers: question or sub-item code → the chosen option's order.
Answers = Mapping[str, int]


def respondent_scores(questions: Sequence[QuestionScale], answers: Answers) -> dict[str, Decimal]:
    """Return one respondent's score (0–100, unrounded) of each question they answered."""
    scores: dict[str, Decimal] = {}
    for question in questions:
        if question.sub_items:
            values = [
                item.scale.worth(answers[item.code], reversed=item.reversed)
                for item in question.sub_items
                if item.code in answers
            ]
            if values:
                scores[question.code] = sum(values, Decimal(0)) / len(values)
        elif question.code in answers:
            if question.scale is None:
                raise ValueError(f"question {question.code} has no answer scale")
            scores[question.code] = question.scale.worth(
                answers[question.code], reversed=question.reversed
            )
    return scores


def question_scores(
    questions: Sequence[QuestionScale], respondents: Iterable[Answers]
) -> dict[str, Decimal]:
    """Return each question's score: the mean over the respondents who answered it."""
    totals: dict[str, list[Decimal]] = {}
    for answers in respondents:
        for code, score in respondent_scores(questions, answers).items():
            totals.setdefault(code, []).append(score)
    return {code: sum(values, Decimal(0)) / len(values) for code, values in totals.items()}


def answers_result(
    spec: scoring.VersionSpec, questions: Sequence[QuestionScale], respondents: Iterable[Answers]
) -> scoring.Result:
    """Compute question, indicator and instrument scores (the total too, with OIT) from answers."""
    return scoring.compute(
        spec, scoring.Given(question_scores=question_scores(questions, respondents))
    )
