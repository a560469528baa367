"""Writing the database back to the content tree.

The export writes each item in the same format the import reads, so that
changes made in the admin can be reviewed as a diff and committed. Keys left
at their default are omitted to keep the files short.
"""

from pathlib import Path

import yaml

from .schema import KIND_ORDER, KINDS, prefetch_for, record_from_instance


class _ContentDumper(yaml.SafeDumper):
    """Indents lists under their key, as people write them by hand."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def export_content(root):
    """Write every item to ``root/<kind>/<slug>.md``; return (written, removed) paths."""
    root = Path(root)
    written, removed = [], []
    for kind_name in KIND_ORDER:
        kind = KINDS[kind_name]
        folder = root / kind_name
        folder.mkdir(parents=True, exist_ok=True)
        keep = set()
        for obj in prefetch_for(kind, kind.model.objects.order_by("slug")):
            path = folder / f"{obj.slug}.md"
            text = item_to_text(kind, record_from_instance(kind, obj))
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
            keep.add(path)
        for path in sorted(folder.rglob("*.md")):
            if path not in keep:
                path.unlink()
                removed.append(path)
    return written, removed


def item_to_text(kind, record):
    front = {}
    for key in kind.keys:
        value = record[key.name]
        if key.required or value != key.default_value():
            front[key.name] = value
    yaml_text = yaml.dump(
        front,
        Dumper=_ContentDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    body = record.get("body", "")
    return f"---\n{yaml_text}---\n" + (f"{body}\n" if body else "")
