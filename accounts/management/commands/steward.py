"""Grant or withdraw the data-steward role: only whoever runs manage.py (a superuser's job)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import Role
from accounts.services import steward_set


class Command(BaseCommand):
    help = (
        "Make a user a data steward (keeps instrument versions and every agency's published "
        "results; opens the Django admin for them), or withdraw it with --revoke. "
        "With no username, list the stewards."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--revoke", action="store_true", help="Withdraw the role.")

    def handle(self, *args, username: str | None = None, revoke: bool = False, **options):
        if username is None:
            stewards = User.objects.filter(groups__name=Role.STEWARD.value).order_by("username")
            for user in stewards:
                self.stdout.write(f"{user.username}\t{user.agency or '-'}")
            self.stdout.write(f"{len(stewards)} data steward(s).")
            return
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        steward_set(user=user, steward=not revoke)
        if revoke:
            self.stdout.write(f"{username} is no longer a data steward.")
        else:
            self.stdout.write(
                f"{username} is a data steward: instrument versions and published results, "
                "in the portal and the Django admin (/admin/)."
            )
