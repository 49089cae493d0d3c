from django.urls import path

from recruiting.views import placeholder

app_name = "webhook_inbox"
urlpatterns = [
    path("", placeholder.not_built, name="list"),
]
