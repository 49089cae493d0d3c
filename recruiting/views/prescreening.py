"""Pre-screening (``/prescreening/``): positions and their rules, screening a résumé, past screenings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mojito.errors import InvalidRequest, MojitoError
from recruiting.forms.prescreening import SCREENING_FIELD_MAP, PositionForm, ScreeningForm, position_field_map
from recruiting.models import Position
from recruiting.selectors import prescreening as selectors
from recruiting.services import prescreening as services
from recruiting.views.common import apply_sort, paginate, render_page, report_mojito_error

LIST_TEMPLATE = "dashboard/prescreening/list.html"


def screening_list(request):
    filterset = selectors.screenings_filtered(request.GET)
    queryset, sort = apply_sort(request, filterset.qs, selectors.SORTS, selectors.DEFAULT_SORT)
    context = {"filter": filterset, "page": paginate(request, queryset), "sort": sort,
               "positions": selectors.positions_with_counts(), "filtered": bool(filterset.form.changed_data)}
    return render_page(request, LIST_TEMPLATE, context, partial="rows")


def _report(request, exc: MojitoError, form, field_for) -> None:
    mapped = field_for(exc.field) if isinstance(exc, InvalidRequest) else None
    report_mojito_error(request, exc, form=form, field_map={exc.field: mapped} if mapped else None,
                        not_found="JobMojito no longer has this position: it may have been deleted there.")


def _position_form(request, position: Position | None):
    form = PositionForm(request.POST or None, position=position)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.position_upsert(position=position, **form.service_fields())
        except MojitoError as exc:
            _report(request, exc, form, position_field_map)
        else:
            messages.success(request, f"Position “{saved.name}” {'saved' if position else 'created'} in JobMojito.")
            return redirect(f"{reverse('prescreening:screen')}?position={saved.pk}")
    return render(request, "dashboard/prescreening/position_form.html",
                  {"form": form, "position": position}, status=422 if form.errors else 200)


def position_new(request):
    return _position_form(request, None)


def position_edit(request, pk: int):
    return _position_form(request, get_object_or_404(Position, pk=pk))


def screen(request):
    initial = {}
    if request.method == "GET" and request.GET.get("position", "").isdigit():
        initial["position"] = request.GET["position"]
    form = ScreeningForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = {"position": d["position"], "name": d["name"], "email": d["email"],
                  "country_code": d["country_code"] or None, "form": form.candidate_answers()}
        try:
            if d.get("resume_file"):
                document = d["resume_file"]
                screening = services.prescreening_run_file(file=document.data, filename=document.filename, **common)
            else:
                screening = services.prescreening_run_text(resume_text=d["resume_text"], **common)
        except ValidationError as exc:
            form.add_error("resume_file" if d.get("resume_file") else "resume_text", exc)
        except MojitoError as exc:
            _report(request, exc, form, SCREENING_FIELD_MAP.get)
        else:
            return redirect("prescreening:detail", pk=screening.pk)
    has_positions = form.fields["position"].queryset.exists()
    return render(request, "dashboard/prescreening/screen.html", {"form": form, "has_positions": has_positions},
                  status=422 if form.errors else 200)


def screening_detail(request, pk: int):
    screening = get_object_or_404(selectors.screenings_with_relations(), pk=pk)
    return render(request, "dashboard/prescreening/detail.html", {"screening": screening})
