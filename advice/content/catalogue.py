"""The site as it would be after an edit: what exists, what is published, what links where.

The admin checks a rename, an unpublish or a delete against this before it
happens, so no page is left linking to a 404.
"""

from .links import may_link_to
from .problems import Problems
from .rules import check_references, links_that_would_break
from .schema import KIND_ORDER, KINDS, kind_for_model, record_from_instance


def catalogue_after(kind, instance, slug, published):
    """kind -> {slug: published} for the whole site, with this item changed."""
    catalogue = {}
    for name in KIND_ORDER:
        model = KINDS[name].model
        fields = ["slug", "published"] if hasattr(model, "published") else ["slug"]
        rows = model.objects.values_list(*fields)
        catalogue[name] = {row[0]: row[1] if len(row) > 1 else True for row in rows}
    if instance.pk:
        catalogue[kind.name].pop(_saved(instance, "slug"), None)
    if slug is not None:
        catalogue[kind.name][slug] = published
    return catalogue


def incoming_links_broken_by(kind, instance, catalogue):
    """Messages for the items whose links to ``instance`` would break under ``catalogue``."""
    if not instance.pk or not kind.url_name:
        return []
    old_slug = _saved(instance, "slug")
    return links_that_would_break(kind, old_slug, catalogue, _bodies_linking_to(kind, old_slug))


def links_broken_by_change(obj, slug, published):
    """What would break if saved ``obj`` took ``slug`` (None: deleted) and ``published``.

    For the admin's actions that skip the form (publish, unpublish, delete):
    links from other items to this one, and, when publishing, its own links.
    """
    kind = kind_for_model(type(obj))
    catalogue = catalogue_after(kind, obj, slug, published)
    broken = incoming_links_broken_by(kind, obj, catalogue)
    if published:
        problems = Problems()
        record = {**record_from_instance(kind, obj), "published": True}
        check_references(kind, record, catalogue, problems)
        broken += [problem.message for problem in problems]
    return broken


def _saved(instance, field):
    return type(instance).objects.filter(pk=instance.pk).values_list(field, flat=True).first()


def _bodies_linking_to(kind, slug):
    may_link = may_link_to(kind, slug)
    for name in KIND_ORDER:
        other = KINDS[name]
        if other.body == "none":
            continue
        rows = other.model.objects.filter(may_link).values_list(
            "slug", "title", "published", "body"
        )
        for other_slug, title, published, body in rows:
            yield name, other_slug, title, published, body
