from django.urls import path

from recruiting.views import candidates

app_name = "candidates"
urlpatterns = [
    path("", candidates.candidate_list, name="list"),
    path("<int:pk>/", candidates.candidate_detail, name="detail"),
]
