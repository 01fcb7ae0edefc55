"""One number of the report and the small-group rule that may withhold it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from service.i18n.marker import N_

MIN_GROUP = 5  # no figure about fewer people than this
WITHHELD = N_("fewer than 5")


@dataclass(frozen=True)
class Figure:
    """`value` is about `group` people; below MIN_GROUP it is withheld, whatever it is."""

    value: float | None
    group: int
    unit: str = ""  # "" (a count), "%" or "avg"

    @property
    def hidden(self) -> bool:
        return 0 < self.group < MIN_GROUP  # nobody at all: "0" or "–" says nothing of anyone

    @property
    def shown(self) -> float | None:
        """The value, or None when withheld or when there is nothing to measure."""
        return None if self.hidden else self.value

    def __str__(self) -> str:
        if self.hidden:
            return gettext(WITHHELD)
        if self.value is None:
            return "–"
        if self.unit == "%":
            return f"{self.value:.0f}%"
        if self.unit == "avg":
            return f"{self.value:.1f}"
        return f"{self.value:g}"


def count(n: int) -> Figure:
    """A number of people: itself the size of its group."""
    return Figure(n, n)


def share(part: int, whole: int, group: int | None = None) -> Figure:
    return Figure(100 * part / whole if whole else None, whole if group is None else group, "%")


def average(values: list[float], group: int) -> Figure:
    return Figure(sum(values) / len(values) if values else None, group, "avg")
