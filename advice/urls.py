"""The site's URLs, one namespace ("advice") for the public pages and the checker."""

from .checker.urls import urlpatterns as checker_patterns
from .web.urls import urlpatterns as web_patterns

app_name = "advice"

# The web patterns end with the catch-all for site pages, so they come last.
urlpatterns = checker_patterns + web_patterns
