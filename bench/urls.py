"""The app's URLs plus ``/bench/trivial`` (see bench/wsgi.py)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from recruiting.urls import urlpatterns as app_urlpatterns


@csrf_exempt
@login_not_required
def trivial(request):
    return HttpResponse(b'{"status": "ok"}', content_type="application/json")


urlpatterns = [path("bench/trivial", trivial), *app_urlpatterns]
