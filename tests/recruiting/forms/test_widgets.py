"""QuickSelect draws the same HTML as Django's Select (compared as HTML, not as text)."""

import pytest
from django import forms
from django.test.html import parse_html

from recruiting.forms.widgets import QuickSelect
from recruiting.models import Interview
from tests.recruiting.conftest import make_interview

CHOICES = [("", "All"), ("a", "Alpha & <b>"), ("b", "Beta"),
           ("Group <1>", [("c", "Gamma"), ("d", "Delta")]), (3, "Three")]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, "3", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "class": "wide"}, {"required": True, "disabled": True}])
def test_it_renders_what_the_stock_select_renders(value, attrs):
    stock = forms.Select(choices=CHOICES).render("pick", value, attrs)
    quick = QuickSelect(choices=CHOICES).render("pick", value, attrs)
    assert parse_html(quick) == parse_html(stock)


def test_a_duplicate_value_is_selected_once_as_in_the_stock_select():
    choices = [("a", "First"), ("a", "Again")]
    assert parse_html(QuickSelect(choices=choices).render("x", "a")) == parse_html(forms.Select(choices=choices).render("x", "a"))


@pytest.mark.django_db
def test_a_model_choice_field_renders_as_with_the_stock_select():
    chosen = make_interview(name="Backend <engineer>")
    make_interview(name="Designer")

    class Stock(forms.Form):
        interview = forms.ModelChoiceField(Interview.objects.order_by("name"), empty_label="All interviews",
                                           required=False)

    class Quick(Stock):
        interview = forms.ModelChoiceField(Interview.objects.order_by("name"), empty_label="All interviews",
                                           required=False, widget=QuickSelect)

    data = {"interview": str(chosen.pk)}
    assert parse_html(str(Quick(data)["interview"])) == parse_html(str(Stock(data)["interview"]))
    assert f'<option value="{chosen.pk}" selected>Backend &lt;engineer&gt;</option>' in str(Quick(data)["interview"])
