"""A questionnaire as plain data: groups of items, each with its options. Pure Python.

The form shows one group per screen; an answer set is a mapping of item keys to option keys.
`surveys.selectors.questionnaire_for` builds one from an instrument version's questions and
answer scales; nothing here knows about the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Item:
    """One thing a respondent answers: a question, or one sub-item of a question."""

    key: str  # "I1", or "I1.2" for a question's second sub-item
    question: str  # the question's code
    text: str
    help: str
    options: tuple[Option, ...]
    heading: str = ""  # the question's own text above its first sub-item

    def option_keys(self) -> frozenset[str]:
        return frozenset(option.key for option in self.options)


@dataclass(frozen=True)
class Group:
    """What one screen asks: an indicator's items."""

    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Questionnaire:
    groups: tuple[Group, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    def clean(self, answers: Mapping[str, object], group: int | None = None) -> dict[str, str]:
        """Keep the answers that name an item (of the group, if given) and one of its options."""
        items = self.items if group is None else self.groups[group].items
        kept = {}
        for item in items:
            value = answers.get(item.key)
            if isinstance(value, str) and value in item.option_keys():
                kept[item.key] = value
        return kept

    def missing(self, answers: Mapping[str, str], group: int | None = None) -> list[Item]:
        """Return the items left unanswered (of the group, if given), in the form's order."""
        items = self.items if group is None else self.groups[group].items
        return [item for item in items if answers.get(item.key) not in item.option_keys()]

    def group_of(self, item: Item) -> int:
        """Return the index of the group that asks the item."""
        for index, group in enumerate(self.groups):
            if item in group.items:
                return index
        raise ValueError(item.key)
