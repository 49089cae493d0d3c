"""The app's WSGI application plus one trivial endpoint, for the webhook-intake comparison.

``GET/POST /bench/trivial`` answers 200 through the same Django stack (middleware included)
without touching the database: the ceiling the webhook receiver is compared with. Only gunicorn
processes started by ``make bench`` load this module; the app's URLconf does not change.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruiting.settings")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
