"""The two error families of the model and the engine.

`QueryError` is the user's: it names the query field at fault, says what was wrong and lists
the valid choices, and its message is safe to show (no SQL, no internals). Its subclasses
say what kind of mistake it is (an unknown name, a result too large); the HTTP layer decides
which status each kind gets, the engine knows nothing of HTTP. They live with the model
because its own lookups (a cube, a dimension, a level by name) are the first to raise them.
`ModelError` is the deployment's: a model file is wrong; it lists
every problem with the file and key path. Anything else is an internal fault.
"""

from __future__ import annotations

from collections.abc import Iterable


class QueryError(ValueError):
    """A query the user can fix; safe to show."""

    def __init__(self, parameter: str, message: str, choices: Iterable[object] | None = None):
        self.parameter = parameter
        self.message = message
        self.choices = [str(c) for c in choices] if choices is not None else None
        text = f"{parameter}: {message}"
        if self.choices is not None:
            shown = ", ".join(self.choices[:40])
            more = f" ... ({len(self.choices)} in all)" if len(self.choices) > 40 else ""
            text += f" (valid: {shown}{more})"
        super().__init__(text)


class NotFound(QueryError):
    """An unknown cube, dimension, level, member or measure."""


class TooLarge(QueryError):
    """A result with more cells than the cube allows; refused before it runs."""


class ModelError(ValueError):
    """One or more problems in the model files, each with its file and key path."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid model:\n" + "\n".join(f"  {p}" for p in problems))
