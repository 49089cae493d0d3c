"""The knowledge-base upload form: a store id and a checked document (``forms.uploads``)."""

from __future__ import annotations

import os

from django import forms

from recruiting.forms.uploads import DocumentField

FIELD_MAP = {"knowledge_base_store_id": "store_id", "file": "file", "name": "name"}


class KnowledgeUploadForm(forms.Form):
    required_css_class = "required"

    store_id = forms.CharField(
        max_length=64, label="Knowledge base store",
        help_text="The store's id from JobMojito (stores are created in JobMojito's console). "
                  "Stores you uploaded to before are suggested.")
    file = DocumentField(max_bytes_setting="KNOWLEDGE_DOCUMENT_MAX_BYTES", label="Document")
    name = forms.CharField(required=False, max_length=255, label="Name (optional)",
                           help_text="How the document is called in JobMojito; the file name when empty.")

    def __init__(self, *args, stores=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.stores = list(stores)
        self.fields["store_id"].widget.attrs.update({"list": "known-stores", "autocomplete": "off"})

    def clean_store_id(self):
        return self.cleaned_data["store_id"].strip()

    def document_name(self) -> str:
        """The name sent to JobMojito: what was typed (keeping the file's extension), else the file name."""
        document = self.cleaned_data["file"]
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            return document.filename
        return name if os.path.splitext(name)[1] else f"{name}.{document.kind}"
