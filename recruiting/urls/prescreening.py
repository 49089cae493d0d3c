from django.urls import path

from recruiting.views import prescreening

app_name = "prescreening"
urlpatterns = [
    path("", prescreening.screening_list, name="list"),
    path("screen/", prescreening.screen, name="screen"),
    path("<int:pk>/", prescreening.screening_detail, name="detail"),
    path("positions/new/", prescreening.position_new, name="position_new"),
    path("positions/<int:pk>/edit/", prescreening.position_edit, name="position_edit"),
]
