from django.urls import path

from recruiting.views import placeholder

app_name = "results"
urlpatterns = [
    path("", placeholder.not_built, name="list"),
    path("export.csv", placeholder.not_built, name="export"),
    path("<int:pk>/", placeholder.not_built, name="detail"),
]
