from django.urls import path

from recruiting.views import careers, careers_settings

app_name = "careers"
urlpatterns = [
    path("", careers.jobs, name="jobs"),
    path("a/<str:token>/", careers.decision, name="decision"),
    path("settings/<int:interview_pk>/", careers_settings.edit, name="settings"),
    path("<slug:slug>/", careers.job, name="job"),
    path("<slug:slug>/apply/", careers.apply, name="apply"),
]
