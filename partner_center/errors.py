"""The exception types services raise when a rule refuses an action.

`DomainError` is a refused input or state (pages show it next to the field, the API answers
400); `NotAllowed` is a refused actor (pages and the API answer 403)."""


class DomainError(Exception):
    """A rule refused the action. `field` names the input it is about, if any, so pages can
    show the message next to that field and the API can answer 400 with field errors."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [str(self.message)]}

    def add_to_form(self, form) -> None:
        """Attach the message to a Django form, next to its field when the form has it."""
        field = self.field if self.field in getattr(form, "fields", {}) else None
        form.add_error(field, str(self.message))


class Conflict(DomainError):
    """The object exists already (a unique key taken, often by a concurrent request):
    pages show the message next to the field, the API answers 409 with `existing_id`."""

    def __init__(self, message, *, field: str | None = None, existing_id=None):
        super().__init__(message, field=field, code="conflict")
        self.existing_id = existing_id


class NotAllowed(DomainError):
    """The actor may not do this (whoever called the service: page, API, admin or task).
    Pages answer 403 (`NotAllowedMiddleware`), the API 403 with code `forbidden`."""

    def __init__(self, message=None, *, code: str = "forbidden"):
        from django.utils.translation import gettext

        super().__init__(message or gettext("You are not allowed to do this."), code=code)

    def add_to_form(self, form) -> None:
        """A page that shows a service's refusals on its form still answers 403 for this
        one: the actor, not the input, is refused."""
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(str(self.message)) from self
