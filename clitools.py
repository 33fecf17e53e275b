"""What every `python -m ...` entry shares: quiet exit on a closed pipe, errors as one line, status 2."""
from __future__ import annotations

import signal
import sys
from collections.abc import Callable

from errors import AuditError


def run(main: Callable[[], int]) -> None:
    """Run a command's main; an AuditError becomes one line on stderr and exit status 2."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends the command quietly
    try:
        code = main()
    except AuditError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        code = 2
    sys.exit(code)
