"""Admin sign-in lock-out (django-axes), per account and address, and per address.

Repeated failures for one username from one address lock that pair out after
``AXES_FAILURE_LIMIT`` tries; failures from one address over any usernames
lock the address out after ``AXES_ADDRESS_FAILURE_LIMIT`` (higher, since an
office or a phone network can put several editors behind one address). Both
last ``AXES_COOLOFF_TIME``.

Behind a proxy every request comes from the proxy's address, so the client's
address is read from the header the proxy sets (``CLIENT_IP_HEADER``, only
when ``DJANGO_BEHIND_PROXY`` is on: anyone can send that header to a server
that is reachable directly).
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_ip(request):
    """The client's address: the proxy's header when configured and valid, else the socket's."""
    if settings.CLIENT_IP_HEADER:
        value = request.META.get(settings.CLIENT_IP_HEADER, "").strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


class AccountAndAddressLockout(AxesDatabaseHandler):
    """Counts failures per (username, address) and per address, each against its own limit.

    django-axes compares one count with ``AXES_FAILURE_LIMIT``; the address's
    count is given on that scale, so it reaches the limit exactly when it
    reaches ``AXES_ADDRESS_FAILURE_LIMIT``.
    """

    def get_failures(self, request, credentials=None):
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order.
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = per_address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(per_account, scaled)
