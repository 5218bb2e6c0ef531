"""The refusals of the ordering rules."""

from __future__ import annotations


class OrderError(Exception):
    """A rule refused the action; the message is meant for the person who tried it."""


class InvalidTransition(OrderError):
    pass


class OutOfStock(OrderError):
    pass


class PrescriptionNotCovering(OrderError):
    pass
