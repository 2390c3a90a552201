"""Display text for the `units` attributes of result files and for decimal years."""

import math

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def unit_text(units):
    """`units` attribute as shown on an axis: "1" is dimensionless, "" has no unit."""
    if units == "1":
        return "dimensionless"
    return units


def with_unit(label, units):
    """'label (unit)', or the label alone for variables without a unit."""
    text = unit_text(units)
    return f"{label} ({text})" if text else label


def month_text(year):
    """A decimal year as 'Mar 2025': the month whose 1/12 yr slot it falls in, as the engine's
    year_month dates it (engine/text/text_format.cpp), 1e-6 yr of slack for a month start stored
    just below it (2025.1666… is March). It rounded to the nearest month start, so that a weekly
    or daily run's frames and events after mid-month read as the next month."""
    whole = math.floor(year + 1e-6)
    month = min(11, max(0, int(math.floor((year - whole) * 12.0 + 1e-6))))
    return f"{MONTHS[month]} {whole}"


def year_text(year):
    """A decimal year as 'Mar 2025 (2025.17)': month for students, decimal year for the axis."""
    return f"{month_text(year)} ({year:.2f})"
