"""Every form and serializer field is at most as long as the column it is saved into, so a
long input is a field error, never a database error (500). Generic: it walks every ModelForm
(admin forms included) and every ModelSerializer of the project."""

from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from rest_framework import serializers

PROJECT_APPS = [c for c in apps.get_app_configs() if not c.name.startswith(("django.", "rest_"))]
PROJECT_APPS = [c for c in PROJECT_APPS if "site-packages" not in str(c.path)]


def _import_everything():
    for config in PROJECT_APPS:
        for module in ("forms", "serializers", "admin", "api"):
            try:
                import_module(f"{config.name}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{module}":
                    raise


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return any(cls.__module__.startswith(c.name) for c in PROJECT_APPS)


def _column(model, name):
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a column (a property, a method, a reverse relation)
        return None
    return getattr(field, "max_length", None)


def _modelform_problems(classes) -> tuple[int, list[str]]:
    checked, problems = 0, []
    for form_class in classes:
        meta = getattr(form_class, "_meta", None)
        model = getattr(meta, "model", None)
        if model is None:
            continue
        for name, field in form_class.base_fields.items():
            column = _column(model, name)
            if column is None or not isinstance(field, forms.CharField):
                continue
            checked += 1
            if field.max_length is None or field.max_length > column:
                problems.append(f"{form_class.__qualname__}.{name}: {field.max_length} > {column}")
    return checked, problems


def test_modelform_fields_fit_their_columns():
    _import_everything()
    ours = [c for c in _subclasses(forms.ModelForm) if _ours(c)]
    checked, problems = _modelform_problems(ours)
    assert checked > 10, checked
    assert not problems, problems


def test_the_check_catches_a_too_long_field():
    from customers.models import Customer

    class TooLong(forms.ModelForm):
        name = forms.CharField(max_length=201)
        industry = forms.CharField()

        class Meta:
            model = Customer
            fields = ["name", "industry", "region"]

    checked, problems = _modelform_problems([TooLong])
    assert checked == 3 and len(problems) == 2, problems


def test_modelserializer_fields_fit_their_columns():
    _import_everything()
    checked, problems = 0, []
    for serializer_class in _subclasses(serializers.ModelSerializer):
        meta = getattr(serializer_class, "Meta", None)
        model = getattr(meta, "model", None)
        if model is None or not _ours(serializer_class):
            continue
        try:
            fields = serializer_class().fields
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{serializer_class.__qualname__} cannot be built: {exc}")
        for name, field in fields.items():
            if field.read_only or not isinstance(field, serializers.CharField):
                continue
            source = field.source if field.source and "." not in field.source else name
            column = _column(model, source)
            if column is None:
                continue
            checked += 1
            if field.max_length is None or field.max_length > column:
                problems.append(
                    f"{serializer_class.__qualname__}.{name}: {field.max_length} > {column}"
                )
    assert checked, "no ModelSerializer field was checked"
    assert not problems, problems


def test_plain_registration_form_fits_the_user_columns():
    """The registration form is a plain Form (not generic): checked by name."""
    from customers.forms import RegisterForm
    from partner_center.accounts.models import User

    assert RegisterForm.base_fields["name"].max_length <= _column(User, "full_name")
    assert RegisterForm.base_fields["phone"].max_length <= _column(User, "phone")
    assert RegisterForm.base_fields["email"].max_length <= _column(User, "email")
