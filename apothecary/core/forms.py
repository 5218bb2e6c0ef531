"""Form plumbing shared by the public forms."""


class AccessibleErrorsMixin:
    """Point each invalid input at its error message (and its help text), for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                described_by = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    described_by.insert(0, f"id_{name}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    @property
    def hidden_errors(self) -> list[str]:
        """Errors of the form as a whole and of its hidden fields: shown above the form."""
        errors = list(self.non_field_errors())
        for field in self.hidden_fields():
            errors.extend(field.errors)
        return errors
