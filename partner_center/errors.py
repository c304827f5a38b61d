"""The one exception type services raise when a rule refuses an action."""


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
