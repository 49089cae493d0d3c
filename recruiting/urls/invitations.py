from django.urls import path

from recruiting.views import placeholder

app_name = "invitations"
urlpatterns = [
    path("interviews/<int:pk>/invite/", placeholder.not_built, name="invite"),
    path("bulk-invites/", placeholder.not_built, name="bulk_list"),
    path("bulk-invites/<int:pk>/", placeholder.not_built, name="bulk_detail"),
    path("bulk-invites/<int:pk>/errors.csv", placeholder.not_built, name="bulk_errors"),
]
