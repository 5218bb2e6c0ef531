"""The shopping cart: pack ids and quantities in the session, nothing else.

The session outlives logging in (Django keeps its data when an anonymous
visitor logs in), so a cart filled before logging in is still there after.
Prices are never stored here: ``priced()`` asks ``orders.services.price_lines``
every time. The number of packs is kept beside the lines so that the site
header can show "Cart (n)" without a query.
"""

from __future__ import annotations

from orders import services

SESSION_KEY = "cart"
COUNT_KEY = "cart_count"  # read by base.html: {{ request.session.cart_count }}


class Cart:
    """``{pack_id: quantity}`` kept in ``request.session``."""

    def __init__(self, session):
        self.session = session
        stored = session.get(SESSION_KEY) or {}
        self._lines: dict[int, int] = {}
        for pack_id, quantity in stored.items():
            try:
                self._lines[int(pack_id)] = int(quantity)
            except (TypeError, ValueError):
                continue

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, pack_id: int) -> bool:
        return pack_id in self._lines

    @property
    def count(self) -> int:
        """How many packs, all lines together."""
        return sum(self._lines.values())

    def quantity(self, pack_id: int) -> int:
        return self._lines.get(pack_id, 0)

    def quantities(self) -> dict[int, int]:
        return dict(self._lines)

    def add(self, pack_id: int, quantity: int, limit: int | None = None) -> int:
        """Add packs (never more than ``limit``, by default the per-line limit); returns the line's new quantity."""
        limit = services.MAX_PACKS_PER_LINE if limit is None else limit
        before = self._lines.get(pack_id, 0)
        new = max(min(before + quantity, limit), before)
        if new:
            self._lines[pack_id] = new
            self._save()
        return new

    def set(self, pack_id: int, quantity: int, limit: int | None = None) -> int:
        """Set a line's packs (never more than ``limit``, by default the per-line limit); returns what it holds."""
        quantity = min(quantity, services.MAX_PACKS_PER_LINE if limit is None else limit)
        if quantity <= 0:
            self.remove(pack_id)
            return 0
        self._lines[pack_id] = quantity
        self._save()
        return quantity

    def remove(self, pack_id: int) -> None:
        if self._lines.pop(pack_id, None) is not None:
            self._save()

    def clear(self) -> None:
        self._lines = {}
        self.session.pop(SESSION_KEY, None)
        self.session.pop(COUNT_KEY, None)

    def priced(self) -> services.PricedCart:
        """The lines priced from the catalogue; packs no longer sold are dropped from the cart too."""
        priced = services.price_lines(self.quantities())
        sold = {line.pack.pk for line in priced.lines}
        gone = set(self._lines) - sold
        if gone:
            for pack_id in gone:
                del self._lines[pack_id]
            self._save()
        self.dropped = len(gone)
        return priced

    dropped = 0

    def _save(self) -> None:
        # JSON sessions keep string keys.
        self.session[SESSION_KEY] = {str(pack_id): quantity for pack_id, quantity in self._lines.items()}
        self.session[COUNT_KEY] = self.count
