"""Writes of the instrument versions: load one from its JSON shape, dump it, copy it to a new year.

The JSON file is the version: loading it creates what is new, updates what changed, and retires
(deletes) the rows the file no longer has, but only while no assessment uses the version. Once
results exist, a file that drops a row is refused: deleting the row would delete or orphan the
scores that refer to it. Loading the same file twice changes nothing (no audit entries either).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    AnswerOption,
    AnswerScale,
    Assessment,
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    OptionLabel,
    Question,
    SubIndicator,
    SubItem,
)

NACC = InstrumentVersion.Framework.NACC_ITA
# Sample-rule keys of the JSON shape and the Instrument fields they fill.
SAMPLE_FIELDS = {
    "percent": "sample_percent",
    "minimum": "sample_minimum",
    "everyone_below": "sample_everyone_below",
    "cap_over": "sample_cap_over",
    "cap_minimum": "sample_cap_minimum",
    "source": "sample_source",
}


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def upsert(model, lookup: dict[str, Any], values: dict[str, Any]):
    """Create a row, or update only the fields that changed (no audit entry for a no-op)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return _save(model(**lookup, **values))
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return _save(obj) if changed else obj


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _sourced(row: dict) -> dict[str, Any]:
    return {"source": row.get("source", ""), "verified": bool(row.get("verified", False))}


class _Loader:
    """One load: upserts the file's rows and remembers them, to retire every other row."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.kept: dict[type, set[int]] = {}

    def keep(self, obj):
        self.kept.setdefault(type(obj), set()).add(obj.pk)
        return obj

    def put(self, model, lookup, values):
        return self.keep(upsert(model, lookup, values))

    def load(self) -> InstrumentVersion:
        data = self.data
        version = upsert(
            InstrumentVersion,
            {"framework": data.get("framework", NACC), "fiscal_year": int(data["fiscal_year"])},
            {
                "name_th": data["name_th"],
                "name_en": data.get("name_en", ""),
                "pass_mark": Decimal(str(data.get("pass_mark", "85.00"))),
                "aggregation": data.get(
                    "aggregation", InstrumentVersion.Aggregation.INDICATOR_MEAN
                ),
                "oit_scoring": data.get("oit_scoring", InstrumentVersion.OitScoring.PRESENT_ABSENT),
                "oit_allowed_scores": [str(v) for v in data.get("oit_allowed_scores", [])],
                "oit_rollup": data.get(
                    "oit_rollup", InstrumentVersion.OitRollup.SUB_INDICATOR_MEAN
                ),
                **_sourced(data),
            },
        )
        scales = self._scales(version)
        for order, band in enumerate(data.get("grade_bands", []), start=1):
            self.put(
                GradeBand,
                {"version": version, "grade": band["grade"]},
                {
                    "lower": Decimal(str(band["lower"])),
                    "upper": _decimal(band.get("upper")),
                    "minimums": {k: str(v) for k, v in band.get("minimums", {}).items()},
                    "order": band.get("order", order),
                    "label_th": band.get("label_th", ""),
                    "label_en": band.get("label_en", ""),
                    **_sourced(band),
                },
            )
        counters = {"indicator": 0, "question": 0}
        for instrument_order, row in enumerate(data.get("instruments", []), start=1):
            sample = {
                SAMPLE_FIELDS[key]: (value if key in ("source",) else _count(key, value))
                for key, value in row.get("sample", {}).items()
            }
            instrument = self.put(
                Instrument,
                {"version": version, "code": row["code"]},
                {
                    "name_th": row["name_th"],
                    "name_en": row.get("name_en", ""),
                    "weight": Decimal(str(row["weight"])),
                    "order": row.get("order", instrument_order),
                    **sample,
                    **_sourced(row),
                },
            )
            for indicator_row in row.get("indicators", []):
                self._indicator(version, instrument, indicator_row, scales, counters)
        self._retire(version)
        return version

    def _scales(self, version: InstrumentVersion) -> dict[str, AnswerScale]:
        scales = {}
        for row in self.data.get("answer_scales", []):
            scale = self.put(
                AnswerScale,
                {"version": version, "code": row["code"]},
                {
                    "kind": row.get("kind", AnswerScale.Kind.LEVELS),
                    "name_th": row["name_th"],
                    "name_en": row.get("name_en", ""),
                    **_sourced(row),
                },
            )
            for order, option in enumerate(row.get("options", []), start=1):
                self.put(
                    AnswerOption,
                    {"scale": scale, "order": option.get("order", order)},
                    {
                        "label_th": option["label_th"],
                        "label_en": option.get("label_en", ""),
                        "points": _decimal(option.get("points")),
                        **_sourced(option),
                    },
                )
            scales[scale.code] = scale
        return scales

    def _indicator(self, version, instrument, row, scales, counters) -> None:
        counters["indicator"] += 1
        indicator = self.put(
            Indicator,
            {"version": version, "number": int(row["number"])},
            {
                "instrument": instrument,
                "name_th": row["name_th"],
                "name_en": row.get("name_en", ""),
                "order": counters["indicator"],
                **_sourced(row),
            },
        )
        groups = [(None, row.get("questions", []))]
        for sub_order, sub_row in enumerate(row.get("sub_indicators", []), start=1):
            sub = self.put(
                SubIndicator,
                {"indicator": indicator, "key": sub_row["key"]},
                {
                    "name_th": sub_row["name_th"],
                    "name_en": sub_row.get("name_en", ""),
                    "order": sub_order,
                    **_sourced(sub_row),
                },
            )
            groups.append((sub, sub_row["items"]))
        for sub, questions in groups:
            for question_row in questions:
                counters["question"] += 1
                self._question(version, indicator, sub, question_row, scales, counters["question"])

    def _question(self, version, indicator, sub, row, scales, order) -> None:
        question = self.put(
            Question,
            {"version": version, "code": row["code"]},
            {
                "indicator": indicator,
                "sub_indicator": sub,
                "kind": Question.Kind.QUESTION if sub is None else Question.Kind.ITEM,
                "text_th": row.get("text_th", ""),
                "text_en": row.get("text_en", ""),
                "help_th": row.get("help_th", ""),
                "help_en": row.get("help_en", ""),
                "scale": _scale(scales, row.get("scale"), row["code"]),
                "reversed": bool(row.get("reversed", False)),
                "order": order,
                **_sourced(row),
            },
        )
        for item_order, item in enumerate(row.get("sub_items", []), start=1):
            self.put(
                SubItem,
                {"question": question, "code": item["code"]},
                {
                    "text_th": item.get("text_th", ""),
                    "text_en": item.get("text_en", ""),
                    "help_th": item.get("help_th", ""),
                    "help_en": item.get("help_en", ""),
                    "scale": _scale(scales, item.get("scale"), item["code"]),
                    "reversed": bool(item.get("reversed", False)),
                    "order": item_order,
                    **_sourced(item),
                },
            )
        labels = row.get("option_labels", [])
        if labels and question.scale is None:
            raise ValidationError(
                _("%(code)s has option labels but no answer scale."),
                code="labels_without_scale",
                params={"code": row["code"]},
            )
        for label in labels:
            option = question.scale.options.filter(order=label["order"]).first()
            if option is None:
                raise ValidationError(
                    _("%(code)s labels option %(order)s, which its scale does not have."),
                    code="unknown_option",
                    params={"code": row["code"], "order": label["order"]},
                )
            self.put(
                OptionLabel,
                {"question": question, "option": option},
                {"label_th": label["label_th"], "label_en": label.get("label_en", "")},
            )

    def _retire(self, version: InstrumentVersion) -> None:
        # Children first: a question before its scale (PROTECT), options before their scale.
        stale = [
            (OptionLabel, OptionLabel.objects.filter(question__version=version), "question__code"),
            (SubItem, SubItem.objects.filter(question__version=version), "code"),
            (Question, version.questions.all(), "code"),
            (SubIndicator, SubIndicator.objects.filter(indicator__version=version), "key"),
            (Indicator, version.indicators.all(), "number"),
            (Instrument, version.instruments.all(), "code"),
            (GradeBand, version.grade_bands.all(), "grade"),
            (AnswerOption, AnswerOption.objects.filter(scale__version=version), "label_th"),
            (AnswerScale, version.answer_scales.all(), "code"),
        ]
        gone = [
            (model, queryset.exclude(pk__in=self.kept.get(model, set())), name)
            for model, queryset, name in stale
        ]
        names = [
            f"{model._meta.verbose_name} {value}"
            for model, queryset, name in gone
            for value in queryset.values_list(name, flat=True)
        ]
        if not names:
            return
        results = Assessment.objects.filter(version=version).count()
        if results:
            raise ValidationError(
                _(
                    "Version %(year)s already has %(count)s results, so nothing can be removed "
                    "from it; the file leaves out: %(names)s. Put them back in the file, or "
                    "create a new version."
                ),
                code="has_results",
                params={"year": version.fiscal_year, "count": results, "names": ", ".join(names)},
            )
        for _model, queryset, _name in gone:
            queryset.delete()


def _count(key: str, value) -> Decimal | int | None:
    if value is None:
        return None
    return Decimal(str(value)) if key == "percent" else int(value)


def _scale(scales: dict[str, AnswerScale], code: str | None, owner: str) -> AnswerScale | None:
    if not code:
        return None
    if code not in scales:
        raise ValidationError(
            _("%(owner)s names answer scale %(code)s, which the file does not define."),
            code="unknown_scale",
            params={"owner": owner, "code": code},
        )
    return scales[code]


@transaction.atomic
def instrument_version_load(*, data: dict) -> InstrumentVersion:
    """Create or update a version from its JSON shape (assessments/data/ita2563.json); idempotent.

    Rows absent from the file are retired while no assessment uses the version; afterwards such
    a file is refused with the rows it leaves out.
    """
    return _Loader(data).load()


def _sourced_dump(obj) -> dict[str, Any]:
    return {"source": obj.source, "verified": obj.verified}


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def instrument_version_dump(*, version: InstrumentVersion) -> dict:
    """Return a version in the JSON shape instrument_version_load reads."""
    indicators = list(version.indicators.order_by("order", "number"))
    subs = list(SubIndicator.objects.filter(indicator__version=version).order_by("order", "key"))
    questions = list(version.questions.select_related("scale").order_by("order", "id"))
    sub_items = list(
        SubItem.objects.filter(question__version=version).select_related("scale").order_by("order")
    )
    labels = list(OptionLabel.objects.filter(question__version=version).select_related("option"))

    def question_dump(question: Question) -> dict:
        row = {"code": question.code, "text_th": question.text_th, "text_en": question.text_en}
        if question.help_th or question.help_en:
            row.update(help_th=question.help_th, help_en=question.help_en)
        if question.scale_id:
            row["scale"] = question.scale.code
        if question.reversed:
            row["reversed"] = True
        items = [
            {
                "code": item.code,
                "text_th": item.text_th,
                "text_en": item.text_en,
                "help_th": item.help_th,
                "help_en": item.help_en,
                "scale": item.scale.code if item.scale_id else None,
                "reversed": item.reversed,
                **_sourced_dump(item),
            }
            for item in sub_items
            if item.question_id == question.pk
        ]
        if items:
            row["sub_items"] = items
        own = [
            {"order": label.option.order, "label_th": label.label_th, "label_en": label.label_en}
            for label in labels
            if label.question_id == question.pk
        ]
        if own:
            row["option_labels"] = sorted(own, key=lambda label: label["order"])
        return row | _sourced_dump(question)

    return {
        "framework": version.framework,
        "fiscal_year": version.fiscal_year,
        "name_th": version.name_th,
        "name_en": version.name_en,
        "pass_mark": str(version.pass_mark),
        "aggregation": version.aggregation,
        "oit_scoring": version.oit_scoring,
        "oit_allowed_scores": list(version.oit_allowed_scores),
        "oit_rollup": version.oit_rollup,
        **_sourced_dump(version),
        "grade_bands": [
            {
                "grade": band.grade,
                "lower": str(band.lower),
                "upper": _number(band.upper),
                "minimums": dict(band.minimums),
                "order": band.order,
                "label_th": band.label_th,
                "label_en": band.label_en,
                **_sourced_dump(band),
            }
            for band in version.grade_bands.order_by("order", "-lower")
        ],
        "answer_scales": [
            {
                "code": scale.code,
                "kind": scale.kind,
                "name_th": scale.name_th,
                "name_en": scale.name_en,
                **_sourced_dump(scale),
                "options": [
                    {
                        "order": option.order,
                        "label_th": option.label_th,
                        "label_en": option.label_en,
                        "points": _number(option.points),
                        **_sourced_dump(option),
                    }
                    for option in scale.options.order_by("order")
                ],
            }
            for scale in version.answer_scales.order_by("code")
        ],
        "instruments": [
            {
                "code": instrument.code,
                "name_th": instrument.name_th,
                "name_en": instrument.name_en,
                "weight": str(instrument.weight),
                "order": instrument.order,
                **_sourced_dump(instrument),
                "sample": {
                    key: (
                        _number(getattr(instrument, field))
                        if key == "percent"
                        else getattr(instrument, field)
                    )
                    for key, field in SAMPLE_FIELDS.items()
                },
                "indicators": [
                    {
                        "number": indicator.number,
                        "name_th": indicator.name_th,
                        "name_en": indicator.name_en,
                        **_sourced_dump(indicator),
                        "questions": [
                            question_dump(q)
                            for q in questions
                            if q.indicator_id == indicator.pk and q.sub_indicator_id is None
                        ],
                        "sub_indicators": [
                            {
                                "key": sub.key,
                                "name_th": sub.name_th,
                                "name_en": sub.name_en,
                                **_sourced_dump(sub),
                                "items": [
                                    question_dump(q)
                                    for q in questions
                                    if q.sub_indicator_id == sub.pk
                                ],
                            }
                            for sub in subs
                            if sub.indicator_id == indicator.pk
                        ],
                    }
                    for indicator in indicators
                    if indicator.instrument_id == instrument.pk
                ],
            }
            for instrument in version.instruments.order_by("order", "code")
        ],
    }


@transaction.atomic
def instrument_version_copy(
    *, source: InstrumentVersion, fiscal_year: int, name_th: str, name_en: str = ""
) -> InstrumentVersion:
    """Create a new fiscal year's version with the structure, rules and levels of source.

    The copy is unverified until a steward checks it against the year's manual: a source confirms
    the year it was written for, not the next one.
    """
    framework = source.framework
    if InstrumentVersion.objects.filter(framework=framework, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {
                "fiscal_year": ValidationError(
                    _("A version for this fiscal year already exists."), code="exists"
                )
            }
        )
    data = instrument_version_dump(version=source)
    data.update(
        fiscal_year=fiscal_year,
        name_th=name_th,
        name_en=name_en,
        source=f"คัดลอกจากฉบับปี {source.fiscal_year} (copied from the {source.fiscal_year} version)",
        verified=False,
    )
    version = instrument_version_load(data=data)
    version.copied_from = source
    return _save(version)
