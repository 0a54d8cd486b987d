"""Exit codes and the exceptions a command raises to stop with a message.

Every error reaches the user as one line, `roleplay: error: MESSAGE`, on
standard error (see roleplay.cli.output.err); never as a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAIL = 1  # bad input, or the command could not be done
EXIT_USAGE = 2  # the command line itself is wrong (argparse's code)
EXIT_EOF = 3  # `play`: input ended before a final phase
EXIT_INTERRUPTED = 130  # ctrl+c


class CliError(Exception):
    """Stops the command: `roleplay: error: MESSAGE` and exit code `code`."""

    def __init__(self, message: str, code: int = EXIT_FAIL):
        super().__init__(message)
        self.message = message
        self.code = code


class UsageError(CliError):
    """The arguments do not fit together: the command's usage line, the message, exit 2."""

    def __init__(self, message: str):
        super().__init__(message, EXIT_USAGE)
