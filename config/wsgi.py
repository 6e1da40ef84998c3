"""WSGI entry point, used by `runserver` and by `gunicorn config.wsgi`."""

import logging
import os

from django.core.files.storage import default_storage
from django.core.wsgi import get_wsgi_application

from config.allocator import use_fixed_mmap_threshold
from images.storage import storage_description

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

use_fixed_mmap_threshold()
application = get_wsgi_application()

logging.getLogger("config").info("Images are stored on %s.", storage_description(default_storage))
