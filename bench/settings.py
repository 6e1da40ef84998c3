"""The production settings, plus the naive reference view the list benchmark compares with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
