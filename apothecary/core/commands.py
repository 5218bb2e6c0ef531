"""What the project's management commands share: a progress bar and quieter loggers."""

import logging
from contextlib import contextmanager

BAR_WIDTH = 10


class Progress:
    """A progress bar: on a terminal one line redrawn in place (``\\r``); in a log
    one line every ``every`` records and at the end."""

    def __init__(self, out, total: int, label: str, every: int = 100):
        self.out, self.total, self.label, self.every = out, total, label, every
        self.tty = out.isatty()
        self.drawn = False

    def line(self, number: int) -> str:
        filled = round(BAR_WIDTH * number / self.total) if self.total else BAR_WIDTH
        return f"[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {number}/{self.total} {self.label}"

    def update(self, number: int) -> None:
        if self.tty:
            self.out.write("\r" + self.line(number), ending="")
            self.out.flush()
            self.drawn = True
        elif number % self.every == 0 or number == self.total:
            self.out.write(self.line(number))

    def interrupt(self) -> None:
        """End the line being redrawn, so that a message starts on a line of its own."""
        if self.drawn:
            self.out.write("")
            self.drawn = False


@contextmanager
def quiet_loggers(*names: str):
    """Hide the per-page and per-task log lines (several a record) so the progress bar and messages can be read."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
