from django.urls import path

from recruiting.views import webhook_inbox

app_name = "webhook_inbox"
urlpatterns = [
    path("", webhook_inbox.delivery_list, name="list"),
    path("replay-failed/", webhook_inbox.replay_failed, name="replay_failed"),
    path("<int:pk>/", webhook_inbox.delivery_detail, name="detail"),
    path("<int:pk>/replay/", webhook_inbox.replay, name="replay"),
]
