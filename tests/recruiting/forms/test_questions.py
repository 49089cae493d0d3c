"""The question formset's add / remove / move (no JavaScript) and what it sends to JobMojito."""

import pytest
from django.http import QueryDict

from recruiting.forms.questions import QuestionFormSet, edit_questions


def post(rows, **buttons) -> QueryDict:
    data = QueryDict(mutable=True)
    data["questions-TOTAL_FORMS"] = str(len(rows))
    data["questions-INITIAL_FORMS"] = "0"
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"questions-{i}-{key}"] = value
    for name in buttons:
        data[name] = "1"
    return data


def test_the_real_submit_is_not_an_edit():
    assert edit_questions(post([{"key": "q1", "text": "a"}], create=True)) is None


def test_add_gives_the_new_row_a_fresh_key():
    rows = edit_questions(post([{"key": "q1", "text": "a"}, {"key": "q7", "text": "b"}], add_question=True))
    assert [r["key"] for r in rows] == ["q1", "q7", "q8"] and rows[0]["text"] == "a"


def test_checkboxes_survive_an_edit():
    rows = edit_questions(post([{"key": "q1", "text": "a", "is_multiple_choice": "on"}, {"key": "q2", "text": "b"}],
                               up_1=True))
    assert rows[1]["is_multiple_choice"] is True and rows[0]["is_multiple_choice"] is False


@pytest.mark.parametrize("button", ["up_0", "down_1", "remove_9"])
def test_edges_and_bad_indexes_change_nothing(button):
    rows = edit_questions(post([{"key": "q1", "text": "a"}, {"key": "q2", "text": "b"}], **{button: True}))
    assert [r["key"] for r in rows] == ["q1", "q2"]


@pytest.mark.django_db
def test_the_payload_names_the_follow_up_by_the_earlier_questions_key():
    data = post([{"key": "q1", "text": "Pick", "is_multiple_choice": "on", "alternatives": "x\ny"},
                 {"key": "q2", "text": "Why?", "follows_up": "q1", "duration": "45"}])
    formset = QuestionFormSet(data)
    assert formset.is_valid(), formset.errors
    assert formset.payload() == [
        {"question": "Pick", "id": "q1", "is_multiple_choice": True, "question_alternatives": ["x", "y"]},
        {"question": "Why?", "id": "q2", "duration": 45, "is_conditional": True, "conditional_question_main_id": "q1"},
    ]


@pytest.mark.django_db
def test_options_without_multiple_choice_are_an_error():
    formset = QuestionFormSet(post([{"key": "q1", "text": "Pick", "alternatives": "x\ny"}]))
    assert not formset.is_valid()
    assert "Tick “Multiple choice”" in formset.forms[0].errors["is_multiple_choice"][0]
