from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cohorts.demo import demo_data_load


class Command(BaseCommand):
    help = "Load the seed's demo story (KSPI + KSBSI TOT in Lubuklinggau) and demo accounts."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has well-known passwords; it loads only when DEBUG is on."
            )
        accounts = demo_data_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        for account in accounts:
            self.stdout.write(f"  {account.role:<12} {account.email:<28} {account.password}")
