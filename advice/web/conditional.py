"""ETags and 304 responses for every response: Django's ConditionalGetMiddleware, hashing faster.

Django hashes each response body with MD5 for its ETag. SHA-256 is as good
an ETag and, on CPUs with SHA instructions (this machine's AMD EPYC, and
most x86 and ARM servers since about 2017), two to three times faster in
OpenSSL: 38 µs instead of 89 for the FAQ's 68 kB, a twentieth of what the
whole uncached page costs. Every uncached page and checker answer pays it.
"""

import hashlib

from django.middleware import http
from django.utils.http import quote_etag

# 128 bits of the digest: as many as Django's MD5 gives.
ETAG_HEX_DIGITS = 32


def set_etag(response):
    """Django's ``set_response_etag(response)``, with SHA-256."""
    if not response.streaming and response.content:
        digest = hashlib.sha256(response.content).hexdigest()[:ETAG_HEX_DIGITS]
        response.headers["ETag"] = quote_etag(digest)
    return response


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    def process_response(self, request, response):
        # Django's sets an ETag where there is none and then answers the
        # request's conditions; setting it first leaves Django only the second.
        unset = not response.has_header("ETag")
        if request.method == "GET" and unset and self.needs_etag(response):
            set_etag(response)
        return super().process_response(request, response)
