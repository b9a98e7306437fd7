"""Settings of the server that bench/registration_rush.py starts: the site's own, with a
URLconf that adds one bare view to measure Django itself beside registration."""

from tot_platform.settings import *  # noqa: F403

ROOT_URLCONF = "bench.rush_urls"
