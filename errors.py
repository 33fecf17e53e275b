"""The one error family the product raises on purpose: each carries a message for the user, in Chinese."""


class AuditError(Exception):
    """Base of every expected failure; `message` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TreeInvalid(AuditError):
    """An indicator-tree file is broken; `problems` lists every defect found, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


class TreeNotFound(AuditError):
    """No loaded indicator tree has the requested id (and version)."""


class AssessmentInvalid(AuditError):
    """An assessment (ratings, exclusions, special items) breaks a rule of the standard or of the format."""
