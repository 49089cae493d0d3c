from django.urls import path

from recruiting.views import knowledge

app_name = "knowledge"
urlpatterns = [
    path("", knowledge.document_list, name="list"),
    path("upload/", knowledge.upload, name="upload"),
]
