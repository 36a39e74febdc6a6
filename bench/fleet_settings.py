"""The bench's settings: the development settings, plus one added migration when BENCH_ADDED_MIGRATIONS is set.

``bench/fleet.py`` copies the workflows app's migrations into a scratch package and adds one migration
(a nullable column), then runs the migration commands with these settings: a real new migration, as a
release would bring, without touching the source tree.
"""

import os
import sys

from regional_platform.settings.dev import *  # noqa: F403

if os.environ.get("BENCH_ADDED_MIGRATIONS"):
    sys.path.insert(0, os.environ["BENCH_ADDED_MIGRATIONS"])
    MIGRATION_MODULES = {"workflows": "bench_added_migrations.workflows"}
