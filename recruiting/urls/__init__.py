"""The URL map: one module per dashboard area (each with its own namespace), the public candidate
pages, and the machine endpoints (health, webhooks)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mojito.webhooks import WebhookReceiver
from recruiting.views import health
from recruiting.tasks.webhooks import enqueue_delivery

urlpatterns = [
    # JobMojito's deliveries first: they arrive in bursts, and each pattern tried before costs them
    # (the empty-prefix includes below are tried for every path).
    path("mojito/webhooks/", WebhookReceiver.as_view(on_stored=enqueue_delivery), name="mojito-webhooks"),
    # one URL per event, for merchants who configure JobMojito that way (same checks and dedup)
    path("mojito/webhooks/<str:event>/", WebhookReceiver.as_view(on_stored=enqueue_delivery),
         name="mojito-webhooks-event"),
    path("", include("recruiting.urls.overview")),
    path("interviews/", include("recruiting.urls.interviews")),
    path("", include("recruiting.urls.invitations")),
    path("candidates/", include("recruiting.urls.candidates")),
    path("results/", include("recruiting.urls.results")),
    path("prescreening/", include("recruiting.urls.prescreening")),
    path("knowledge/", include("recruiting.urls.knowledge")),
    path("activity/", include("recruiting.urls.activity")),
    path("webhooks/", include("recruiting.urls.webhook_inbox")),
    path("jobs/", include("recruiting.urls.careers")),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
