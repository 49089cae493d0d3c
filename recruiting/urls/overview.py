from django.urls import path

from recruiting.views import overview

# The overview keeps the global name "home" (LOGIN_REDIRECT_URL and every "back to start" link).
urlpatterns = [
    path("", overview.overview, name="home"),
    path("account-status/", overview.account_status, name="home_account"),
]
