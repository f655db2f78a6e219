"""The questionnaire as plain data: which answers it keeps and which items it finds missing."""

from surveys.questionnaire import Group, Item, Option, Questionnaire

YES_NO = (Option("1", "เคย"), Option("2", "ไม่เคย"))
LEVELS = tuple(Option(str(n), f"ระดับ {n}") for n in range(1, 5))


def questionnaire() -> Questionnaire:
    return Questionnaire(
        groups=(
            Group("การปฏิบัติหน้าที่", (Item("I1", "I1", "ข้อ 1", "", LEVELS),)),
            Group(
                "การใช้งบประมาณ",
                (
                    Item("I2.1", "I2", "ย่อย 1", "", YES_NO, heading="ข้อ 2"),
                    Item("I2.2", "I2", "ย่อย 2", "", YES_NO),
                ),
            ),
        )
    )


def test_it_keeps_only_known_items_with_their_own_options():
    kept = questionnaire().clean({"I1": "4", "I2.1": "3", "X9": "1", "I2.2": ["1"]})
    assert kept == {"I1": "4"}


def test_it_keeps_a_groups_answers_only_when_asked_for_that_group():
    assert questionnaire().clean({"I1": "2", "I2.1": "1"}, group=1) == {"I2.1": "1"}


def test_it_names_the_missing_items_in_the_forms_order():
    missing = questionnaire().missing({"I2.1": "2"})
    assert [item.key for item in missing] == ["I1", "I2.2"]
    assert questionnaire().missing({"I2.1": "2"}, group=1)[0].key == "I2.2"
    assert questionnaire().missing({"I1": "9"}, group=0)[0].key == "I1"


def test_it_finds_the_group_that_asks_an_item():
    q = questionnaire()
    assert q.group_of(q.items[2]) == 1
