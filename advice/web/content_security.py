"""The Content-Security-Policy header: django-csp's, with the site's policy built once.

django-csp builds the header from settings for every response (merging
dictionaries, copying lists, converting dataclasses), which cost as much as
routing the request: a sixth of the cheapest page. Our policy comes from
settings alone for almost every response, so it is built once per process
(and again when a setting changes, as ``advice.memo`` does for everything it
keeps). Whatever can make one response's policy differ goes through
django-csp unchanged: a view's ``csp_replace``/``csp_update``/``csp_exempt``
(the admin's preview), a nonce a template asked for, a report-only policy,
excluded prefixes, and DEBUG's error pages.
"""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

from advice.memo import per_process

# What django-csp's decorators set on a response to change or drop its policy.
PER_RESPONSE_ATTRIBUTES = tuple(
    f"_csp_{change}{suffix}"
    for change in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


class SitePolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not _settings_allow_one_policy() or _changed_for_this_response(request, response):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = _site_policy()
        # As django-csp does: a nonce asked for after the header is written
        # would be in the page but not in the policy, so asking raises.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _changed_for_this_response(request, response):
    return getattr(request, "_csp_nonce", None) is not None or any(
        hasattr(response, name) for name in PER_RESPONSE_ATTRIBUTES
    )


@per_process
def _settings_allow_one_policy():
    """Whether there is a policy, the same for every response its view does not change."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return (
        bool(policy)
        and not settings.DEBUG
        and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        and not policy.get("EXCLUDE_URL_PREFIXES")
    )


@per_process
def _site_policy():
    return build_policy()
