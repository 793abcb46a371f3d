"""A problem in a published workbook, located as a spreadsheet user finds it."""

from __future__ import annotations


class ImportProblem(Exception):
    """One problem with file, sheet, row (1-based, 0 for the whole sheet or file) and column
    (a letter, or "" for a whole row); its text is one line."""

    def __init__(self, file: str, sheet: str, row: int, column: str, message: str):
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        self.message = " ".join(message.split())
        super().__init__(self.line())

    def line(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet {self.sheet!r}"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    """Every problem found in an import; nothing was changed."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        first = self.problems[0].line() if self.problems else "no problems"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{first}{more}"
