"""From answers to scores: each item's mean points, then each question's score. Pure Python.

A response answers items (questions, or their sub-items) with options; the version gives each
option its points (reversed for a negative item). An item's score is the mean of the points of
the responses that answered it with an option that has points; a question with sub-items scores
the mean of its sub-items. Indicators and the instrument follow by the version's own aggregation
(assessments.scoring), from these question scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from surveys.questionnaire import Questionnaire

Points = Mapping[tuple[str, str], Decimal]  # (item key, option key) -> points, 0–100


def item_scores(answer_sets: Iterable[Mapping[str, str]], points: Points) -> dict[str, Decimal]:
    """Return each item's mean points over the answer sets (items nobody scored: absent)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for answers in answer_sets:
        for key, option in answers.items():
            value = points.get((key, option))
            if value is not None:
                sums[key] += value
                counts[key] += 1
    return {key: sums[key] / counts[key] for key in sums}


def question_scores(
    items: Mapping[str, Decimal], questionnaire: Questionnaire
) -> dict[str, Decimal]:
    """Return each question's score: its item's, or the mean of its scored sub-items."""
    parts: dict[str, list[Decimal]] = defaultdict(list)
    for item in questionnaire.items:
        if item.key in items:
            parts[item.question].append(items[item.key])
    return {code: sum(values, Decimal(0)) / len(values) for code, values in parts.items()}
