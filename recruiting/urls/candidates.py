from django.urls import path

from recruiting.views import placeholder

app_name = "candidates"
urlpatterns = [
    path("", placeholder.not_built, name="list"),
    path("<int:pk>/", placeholder.not_built, name="detail"),
]
