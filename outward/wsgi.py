import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outward.settings")
application = get_wsgi_application()

# Load the URL configuration (and with it every view module) now rather than on the first
# request, then move all that start-up made into the garbage collector's permanent
# generation: a full collection would otherwise walk those 130,000-odd objects (about 70 ms
# on a small server) in the middle of whichever request set it off.
get_resolver().url_patterns  # noqa: B018
gc.collect()
gc.freeze()
