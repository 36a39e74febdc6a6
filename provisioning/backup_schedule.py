"""The nightly backups: every school's archive under ``BACKUP_ROOT/<schema>/``, the last days kept.

Retention: of each school's archives, the newest of each of the last ``SCHOOL_BACKUP_KEEP_DAILY`` days
that have one are kept, the rest deleted (an archive made by hand into the same folder counts as that
day's). The whole-platform backup, physical and point in time, is PostgreSQL's (deploy/README.md).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings

from provisioning.backup import ARCHIVE_SUFFIX, Backup, school_backup
from tenants.models import School

logger = logging.getLogger(__name__)


def school_backup_folder(school: School) -> Path:
    return Path(settings.BACKUP_ROOT) / school.schema_name


def school_backup_nightly(school: School) -> Backup:
    """Back ``school`` up into its folder, then prune the folder."""
    folder = school_backup_folder(school)
    backup = school_backup(school=school, output_dir=folder)
    removed = backups_prune(folder, keep_daily=settings.SCHOOL_BACKUP_KEEP_DAILY)
    if removed:
        logger.info("Removed %d old archives of %s", len(removed), school.schema_name)
    return backup


def backups_prune(folder: Path, *, keep_daily: int) -> list[Path]:
    """Delete the archives in ``folder`` beyond the newest of each of the ``keep_daily`` latest days."""
    archives = sorted(folder.glob(f"*{ARCHIVE_SUFFIX}"), key=lambda path: path.name, reverse=True)
    kept_days: set[str] = set()
    removed = []
    for path in archives:
        day = _archive_day(path)
        if day is not None and day not in kept_days and len(kept_days) < keep_daily:
            kept_days.add(day)
            continue
        if day is None:
            continue  # not named by school_backup: not ours to delete
        path.unlink()
        removed.append(path)
    for partial in folder.glob(f"*{ARCHIVE_SUFFIX}.partial"):
        if time.time() - partial.stat().st_mtime > 24 * 3600:  # a backup killed midway, not one being written
            partial.unlink()
    return removed


def _archive_day(path: Path) -> str | None:
    """``20261203`` from ``school_x-20261203T020000123456Z.tar.gz``."""
    stamp = path.name.removesuffix(ARCHIVE_SUFFIX).rpartition("-")[2]
    return stamp[:8] if len(stamp) == 22 and stamp[:8].isdigit() and stamp[8] == "T" else None
