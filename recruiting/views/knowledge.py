"""Knowledge base (``/knowledge/``): what was uploaded to which store and when; upload a document."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from mojito.errors import MojitoError
from recruiting.forms.knowledge import FIELD_MAP, KnowledgeUploadForm
from recruiting.selectors import knowledge as selectors
from recruiting.services.knowledge import knowledge_document_upload
from recruiting.views.common import apply_sort, paginate, render_page, report_mojito_error


def document_list(request):
    stores = selectors.known_stores()
    filterset = selectors.documents_filtered(request.GET, stores=stores)
    queryset, sort = apply_sort(request, filterset.qs, selectors.SORTS, selectors.DEFAULT_SORT)
    context = {"filter": filterset, "page": paginate(request, queryset), "sort": sort,
               "filtered": bool(filterset.form.changed_data)}
    return render_page(request, "dashboard/knowledge/list.html", context, partial="rows")


def upload(request):
    stores = selectors.known_stores()
    initial = {"store_id": request.GET.get("store", "")}
    form = KnowledgeUploadForm(request.POST or None, request.FILES or None, stores=stores, initial=initial)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["file"]
        try:
            saved = knowledge_document_upload(store_id=form.cleaned_data["store_id"], file=document.data,
                                              filename=document.filename, name=form.document_name())
        except ValidationError as exc:
            form.add_error("store_id" if getattr(exc, "code", "") == "store" else "file", exc)
        except MojitoError as exc:
            report_mojito_error(request, exc, form=form, field_map=FIELD_MAP,
                                not_found="JobMojito has no knowledge base store with this id. Check it in "
                                          "JobMojito's console.")
        else:
            messages.success(request, f"“{saved.name}” was uploaded to store {saved.store_id}. JobMojito "
                                      "indexes it in the background; questions can use it now.")
            return redirect("knowledge:list")
    return render(request, "dashboard/knowledge/upload.html", {"form": form, "stores": stores},
                  status=422 if form.errors else 200)
