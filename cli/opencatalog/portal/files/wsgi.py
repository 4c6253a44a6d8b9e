# WSGI entry point for gunicorn (CKAN's documented wsgi.py, config from $CKAN_INI).
import os
import sys
import traceback
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

config_path = os.environ["CKAN_INI"]
fileConfig(config_path, disable_existing_loggers=False)
try:
    application = make_app(CKANConfigLoader(config_path).get_config())
except BaseException:
    # gunicorn only logs "Worker failed to boot"; put the cause in ckan.log
    # so `portal up` can show it.
    traceback.print_exc()
    sys.stderr.flush()
    raise
