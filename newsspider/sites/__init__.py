"""The registry of site profiles: spiders and `newsspider extract --site` look publishers up here."""

from __future__ import annotations

from newsspider.sites.eureporter import EUREPORTER
from newsspider.sites.profile import SiteProfile

PROFILES: dict[str, SiteProfile] = {profile.name: profile for profile in (EUREPORTER,)}


def get_profile(name: str) -> SiteProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r}; known: {', '.join(sorted(PROFILES))}") from None


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile whose domain serves this URL, if any."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES.values():
        if host in profile.domains or any(host.endswith("." + d) for d in profile.domains):
            return profile
    return None


__all__ = ["PROFILES", "SiteProfile", "get_profile", "profile_for_url"]
