from django.urls import path

from recruiting.views import activity

app_name = "activity"
urlpatterns = [
    path("", activity.call_list, name="list"),
]
