from django.urls import path

from recruiting.views import placeholder

app_name = "careers"
urlpatterns = [
    path("", placeholder.not_built, name="jobs"),
]
