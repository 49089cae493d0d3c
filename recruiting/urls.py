from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from mojito.webhooks import WebhookReceiver
from recruiting.views import health, home
from recruiting.tasks.webhooks import enqueue_delivery

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("mojito/webhooks/", WebhookReceiver.as_view(on_stored=enqueue_delivery), name="mojito-webhooks"),
]
