import zoneinfo

from outward.lib.zones import COMMON, zone_names


def test_only_real_zones_the_common_ones_first():
    names = zone_names()
    assert names[: len(COMMON)] == COMMON
    assert len(set(names)) == len(names)
    assert set(names) <= zoneinfo.available_timezones()
    for legacy in ["Factory", "US/Eastern", "GB", "EST5EDT", "Etc/GMT+5", "localtime"]:
        assert legacy not in names
    assert {"Europe/Oslo", "America/Argentina/Buenos_Aires", "UTC"} <= set(names)
    assert 300 < len(names) < len(zoneinfo.available_timezones())
