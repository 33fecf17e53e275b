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



class InvalidInput(AuditError):
    """A form or file value breaks a rule; nothing was changed."""


class AssessmentInvalid(InvalidInput):
    """An assessment (ratings, exclusions, special items) breaks a rule of the standard or of the format."""


class NotFound(AuditError):
    """The requested company, engagement or clause does not exist (or is not visible to the user)."""


class StaleEdit(AuditError):
    """Someone saved the same item since it was loaded; the edit was refused and `current` holds the newer value."""

    def __init__(self, message: str, current: object = None):
        super().__init__(message)
        self.current = current


class AccessDenied(AuditError):
    """The acting user may not do this; nothing was changed or shown, and the refusal is logged."""


class LoginFailed(AuditError):
    """Wrong user name or password (deliberately not saying which), or the account is locked or inactive."""


class InvalidTransition(AuditError):
    """A nonconformity cannot move that way from its present state (see nonconformities/workflow.py)."""
