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
    """A decimal year as 'Mar 2025'."""
    whole = math.floor(year + 1e-9)
    # Frames fall on month starts (dt = 1/12 yr); round so 2025.1666… reads as March.
    month = int(round((year - whole) * 12.0))
    if month == 12:
        whole, month = whole + 1, 0
    return f"{MONTHS[month]} {whole}"


def year_text(year):
    """A decimal year as 'Mar 2025 (2025.17)': month for students, decimal year for the axis."""
    return f"{month_text(year)} ({year:.2f})"
