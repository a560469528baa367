from django.urls import path, re_path

from . import views
from .steps import STEPS

# One page per step: /checker/signs/, /checker/pain/, /checker/details/.
STEP_PATTERN = "|".join(step.slug for step in STEPS)

urlpatterns = [
    path("checker/", views.checker, name="checker"),
    path("checker/all/", views.checker_all, name="checker_all"),
    re_path(rf"^checker/(?P<step>{STEP_PATTERN})/$", views.checker_step, name="checker_step"),
    path("checker/check/", views.checker_check, name="checker_check"),
    path("checker/summary/", views.checker_summary, name="checker_summary"),
    path("checker/reminder.ics", views.checker_reminder, name="checker_reminder"),
    path("checker/how-it-works/", views.how_it_works, name="checker_method"),
    path("api/checker/", views.checker_api, name="checker_api"),
]
