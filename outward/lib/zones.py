"""The time zones a person picks from: the IANA zones of the world's regions ("Europe/Oslo")
and UTC, without the legacy aliases the zone database still carries ("US/Eastern", "GB",
"EST5EDT", "Etc/GMT+5", "Factory"), the zones most people here live in first."""

import functools
import zoneinfo

REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
# Offered first, roughly by how many people live in each (the rest follow, A to Z).
COMMON = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Pacific/Auckland",
    "Africa/Johannesburg",
    "Africa/Lagos",
    "UTC",
)


@functools.cache  # available_timezones() walks the zone files on disk (~30 ms): once per process
def known_zones() -> frozenset[str]:
    """Every zone the zone database knows, legacy aliases included (what a stored value may be)."""
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every zone a person may pick, the common ones first."""
    real = {name for name in known_zones() if name.split("/", 1)[0] in REGIONS and "/" in name} | {
        "UTC"
    }
    common = [name for name in COMMON if name in real]
    return (*common, *sorted(real - set(common)))
