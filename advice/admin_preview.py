"""The admin's live preview: an item's public page with the editor's unsaved changes.

The change form has a "Preview" button that posts the form (not saving it)
to the preview view, into a frame under the body field; the frame shows the
page through the public view's own template, context and CSS. Without
JavaScript the button works the same; with it, the preview also refreshes a
moment after the editor stops typing (static/js/admin_preview.js).
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseBadRequest
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from .content.problems import Problems
from .content.rendering import render_markdown
from .content.rules import check_body_size
from .web.views import render_preview

PREVIEW_FRAME = "live-preview"
# Text a reader never sees as text: a path checked when the item is saved.
NOT_PREVIEWED = {"slug", "illustration"}


def previewed_fields(model):
    """The model's free-text fields, which a preview takes from the posted form."""
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and field.name not in NOT_PREVIEWED
    ]


class PreviewAdminMixin:
    """Adds the preview view and the "Preview" button with its frame (a read-only field)."""

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["css/admin.css"]}, js=["js/admin_preview.js"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "live_preview"]

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{prefix}_preview",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_replace({"frame-ancestors": [SELF]}))
    def preview_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        posted = {
            name: request.POST[name]
            for name in previewed_fields(self.model)
            if name in request.POST
        }
        problems = Problems()
        check_body_size(posted.get("body", ""), problems, 1)
        if problems:
            return HttpResponseBadRequest(f"Cannot preview: {next(iter(problems)).message}.")

        def edit(item):
            for name, value in posted.items():
                setattr(item, name, value)
            item.body_html, item.body_toc = render_markdown(item.body)

        return render_preview(request, self.model, obj.pk, edit)

    @admin.display(description="Preview")
    def live_preview(self, obj):
        if obj is None or obj.pk is None:
            return "Save the item once, then you can preview your changes before saving them."
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk])
        return format_html(
            '<p><button type="submit" class="button preview-button" formaction="{url}" '
            'formmethod="post" formtarget="{frame}" formnovalidate>Preview</button> '
            "See the page as readers will, with your unsaved changes. Nothing is saved.</p>"
            '<iframe name="{frame}" class="live-preview" title="Preview of the page as readers '
            'will see it"></iframe>',
            url=url,
            frame=PREVIEW_FRAME,
        )
