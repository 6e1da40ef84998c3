from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from users.selectors import address_digest


class AccountCreationThrottle(SimpleRateThrottle):
    """At most the "register" rate of accounts created per client address.

    Only created accounts use the allowance (the view calls `charge` once the account
    exists), so someone who mistypes an e-mail or picks a taken name is never locked out by
    their own mistakes. Every attempt, failed or not, still counts toward the wider
    "register_attempt" rate, which bounds guessing which names and e-mails are taken.
    """

    scope = "register"

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def throttle_success(self) -> bool:
        return True

    def charge(self, request: Request) -> None:
        key = self.get_cache_key(request, None)
        now = self.timer()
        history = [moment for moment in self.cache.get(key, []) if moment > now - self.duration]
        self.cache.set(key, [now, *history], self.duration)


class AccountChangeThrottle(ScopedRateThrottle):
    """The view's scope, per account, for changes only: reading stays unlimited."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class EmailAddressThrottle(SimpleRateThrottle):
    """The "account_email_address" rate per e-mail address a view is asked to mail, whether
    or not an account has it, so nobody can flood one mailbox from many clients. The key is a
    digest: throttle counters never hold addresses. Each view counts apart."""

    scope = "account_email_address"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        address = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(address, str) or not address.strip():
            return None  # nothing to mail: the serializer refuses it
        ident = f"{view.__class__.__name__}:{address_digest(address)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
