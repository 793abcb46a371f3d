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

    def __init__(self, problems: list[Problem], total: int, rejects_path: str | None = None):
        self.problems = problems
        self.total = total
        self.rejects_path = rejects_path
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {total - 50} more" if total > 50 else ""
        where = f"\nAll problems are listed in {rejects_path}" if rejects_path else ""
        super().__init__(f"{total} problem(s) in the source files:\n{shown}{more}{where}")
