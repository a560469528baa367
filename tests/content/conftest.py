import datetime

import pytest
from django.contrib.admin import site
from django.test import RequestFactory
from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:advice_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_form_data(admin_user):
    """``data(obj, **changes)``: the POST an editor sends saving ``obj``'s admin form as it is.

    Built from the admin's own form for the item, so a test changes only the
    fields it names, and every kind (with its widgets) is covered the same way.
    """

    def data(obj, **changes):
        model_admin = site._registry[type(obj)]
        request = RequestFactory().get("/")
        request.user = admin_user
        form = model_admin.get_form(request, obj)(instance=obj)
        posted = {}
        for name in form.fields:
            posted.update(_posted(name, form[name].value()))
        for name, value in changes.items():
            if isinstance(value, dict):  # symptom weights
                posted = {k: v for k, v in posted.items() if not k.startswith(f"{name}__")}
            posted.update(_posted(name, value))
        return {name: value for name, value in posted.items() if value is not None}

    return data


def _posted(name, value):
    if isinstance(value, bool):
        return {name: "on" if value else None}
    if isinstance(value, dict):
        return {f"{name}__{slug}": str(weight) for slug, weight in value.items()}
    if isinstance(value, datetime.date):
        return {name: value.isoformat()}
    if value is None:
        return {name: ""}
    return {name: value}
