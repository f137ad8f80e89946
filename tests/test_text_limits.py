"""No textarea in the product lets the browser cut text short: a limited text goes out as
``data-max-length`` (a visible counter) and the form refuses a text over it, shown back
whole. Checked for every form class of every app, and for every template."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms

from tests.project_apps import APPS

ROOT = Path(__file__).resolve().parent.parent


def project_form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module_info.name or not module_info.name.endswith(
                ("forms", "filters")
            ):
                continue
            importlib.import_module(module_info.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(
        (cls for cls in seen if cls.__module__.split(".")[0] in APPS),
        key=lambda cls: f"{cls.__module__}.{cls.__name__}",
    )


def limited_textareas():
    for cls in project_form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field.widget, forms.Textarea):
                yield pytest.param(field, id=f"{cls.__module__}.{cls.__name__}.{name}")


@pytest.mark.parametrize("field", list(limited_textareas()))
def test_no_form_textarea_renders_a_browser_limit(field):
    html = field.widget.render("text", "", attrs=field.widget_attrs(field.widget))
    assert "maxlength" not in html
    if getattr(field, "max_length", None):
        assert f'data-max-length="{field.max_length}"' in html


def test_there_are_limited_textareas_to_check():
    assert len(list(limited_textareas())) >= 5


def test_no_template_writes_a_textarea_with_maxlength():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"<textarea[^>]*maxlength", path.read_text(), re.IGNORECASE)
    ]
    assert offenders == []
