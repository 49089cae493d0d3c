from django.urls import path

from recruiting.views import placeholder

app_name = "interviews"
urlpatterns = [
    path("", placeholder.not_built, name="list"),
    path("new/", placeholder.not_built, name="new"),
    path("<int:pk>/", placeholder.not_built, name="detail"),
]
