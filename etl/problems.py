"""Problems found in source files, reported all at once with file, line and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based line in the file; 0 when the problem is about the file as a whole
    column: str  # CSV column name, or "" when the problem is about a whole line or file
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.column:
            where += f" column {self.column}"
        value = f" (value {self.value!r})" if self.value else ""
        return f"{where}: {self.message}{value}"


class ValidationFailed(Exception):
    """Raised when source files are invalid; carries every problem and the total count."""

    def __init__(
        self,
        problems: list[Problem],
        total: int,
        rejects_path: str | None = None,
        stored: int | None = None,
    ):
        self.problems = problems
        self.total = total
        self.rejects_path = rejects_path
        self.stored = total if stored is None else stored
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {total - 50:,} more" if total > 50 else ""
        super().__init__(f"{total:,} problem(s) in the source files:\n{shown}{more}{self._where()}")

    def _where(self) -> str:
        if not self.rejects_path:
            return ""
        if self.stored < self.total:
            return (
                f"\nThe first {self.stored:,} problems are listed in {self.rejects_path} "
                "(the rest are counted only)"
            )
        return f"\nAll problems are listed in {self.rejects_path}"

    def summary(self) -> str:
        """One line for a terminal: how many, the first, and where the rest are."""
        first = f"; first: {self.problems[0]}" if self.problems else ""
        where = f"; see {self.rejects_path}" if self.rejects_path else ""
        return f"{self.total:,} problem(s) in the source files{first}{where}"
