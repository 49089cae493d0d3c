from django.urls import path

from recruiting.views import invitations

app_name = "invitations"
urlpatterns = [
    path("interviews/<int:pk>/invite/", invitations.invite, name="invite"),
    path("bulk-invites/", invitations.bulk_list, name="bulk_list"),
    path("bulk-invites/<int:pk>/", invitations.bulk_detail, name="bulk_detail"),
    path("bulk-invites/<int:pk>/send/", invitations.bulk_send, name="bulk_send"),
    path("bulk-invites/<int:pk>/discard/", invitations.bulk_discard, name="bulk_discard"),
    path("bulk-invites/<int:pk>/retry/", invitations.bulk_retry, name="bulk_retry"),
    path("bulk-invites/<int:pk>/errors.csv", invitations.bulk_errors, name="bulk_errors"),
]
