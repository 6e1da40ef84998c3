from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from storage.orphans import delete_orphans, describe_sweep, find_orphans


class Command(BaseCommand):
    help = (
        "List stored objects under the declared prefixes that no row references (a dry run), "
        "or delete them with --delete."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Delete the orphans.")
        parser.add_argument(
            "--older-than",
            type=float,
            default=1.0,
            metavar="HOURS",
            help="Only objects last written more than HOURS ago (default 1): newer ones may "
            "belong to a request still in progress.",
        )

    def handle(self, *args: Any, delete: bool, older_than: float, **options: Any) -> None:
        if older_than < 0:
            raise CommandError("--older-than must be zero or more hours.")
        modified_before = timezone.now() - timedelta(hours=older_than)
        orphans = (delete_orphans if delete else find_orphans)(modified_before)
        for orphan in orphans:
            action = "deleted" if delete else "orphan"
            self.stdout.write(f"{action} {orphan.name} ({orphan.size} bytes)")
        summary = describe_sweep(orphans, deleted=delete)
        if orphans and not delete:
            summary += " Run again with --delete to remove them."
        self.stdout.write(summary)
