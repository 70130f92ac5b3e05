"""Site profiles by name: TOML files in the sites folder (NEWSSPIDER_SITES_DIR), then those built into the package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsspider import settings as defaults
from newsspider.sites.loader import NAME, ProfileError, load_profile
from newsspider.sites.profile import Selectors, SiteProfile

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable  # Python 3.11+; only a type here

#: Profiles shipped with the package (`eureporter`), as TOML like any user's; read as package resources, so they
#: load from a wheel, and from the zipped egg Scrapyd runs.
BUILTIN_DIR: Traversable = files("newsspider.sites") / "builtin"


def sites_dir(settings: Any = None) -> Path:
    """The folder of the user's profiles: NEWSSPIDER_SITES_DIR from `settings` (Scrapy's or a dict), else its
    default, relative to the working directory."""
    configured = settings.get("NEWSSPIDER_SITES_DIR") if settings is not None else None
    return Path(configured or defaults.NEWSSPIDER_SITES_DIR)


def profile_files(directory: Path | None = None) -> dict[str, Path | Traversable]:
    """name -> file of every profile: built-in first, then the sites folder's (which wins on a shared name)."""
    found: dict[str, Path | Traversable] = {
        item.name.removesuffix(".toml"): item
        for item in sorted(BUILTIN_DIR.iterdir(), key=lambda item: item.name)
        if item.name.endswith(".toml")
    }
    folder = directory if directory is not None else sites_dir()
    if folder.is_dir():
        found.update({path.stem: path for path in sorted(folder.glob("*.toml"))})
    return found


def get_profile(name: str, directory: Path | None = None) -> SiteProfile:
    """The profile called `name` (or in the file `name`, when it ends with .toml).

    KeyError for an unknown name (its message lists the known ones); ProfileError for a file that is not valid.
    """
    if name.endswith(".toml"):
        return load_profile(Path(name))
    path = profile_files(directory).get(name)
    if path is None:
        known = ", ".join(sorted(profile_files(directory))) or "none"
        raise KeyError(f"unknown site {name!r}; known: {known} (profiles are read from {sites_dir_of(directory)}/)")
    return load_profile(path)


def sites_dir_of(directory: Path | None) -> Path:
    return directory if directory is not None else sites_dir()


def list_profiles(directory: Path | None = None) -> dict[str, SiteProfile | ProfileError]:
    """Every profile by name; a file that does not load is listed with its error instead."""
    profiles: dict[str, SiteProfile | ProfileError] = {}
    for name, path in profile_files(directory).items():
        try:
            profiles[name] = load_profile(path)
        except ProfileError as error:
            profiles[name] = error
    return profiles


def is_builtin(profile: SiteProfile) -> bool:
    return profile.source is not None and profile.source.startswith(str(BUILTIN_DIR))


def profile_for_url(url: str, directory: Path | None = None) -> SiteProfile | None:
    """The profile whose hosts serve this URL, if any."""
    host = (urlsplit(url).hostname or "").lower()
    for profile in list_profiles(directory).values():
        if isinstance(profile, SiteProfile) and (
            profile.owns_host(host) or any(host.endswith("." + d.lower()) for d in profile.domains)
        ):
            return profile
    return None


def __getattr__(name: str) -> Any:
    if name == "PROFILES":  # name -> profile of every valid profile known now (built in, then the sites folder)
        return {key: value for key, value in list_profiles().items() if isinstance(value, SiteProfile)}
    raise AttributeError(f"module 'newsspider.sites' has no attribute {name!r}")


__all__ = [
    "NAME",
    "PROFILES",
    "ProfileError",
    "Selectors",
    "SiteProfile",
    "get_profile",
    "list_profiles",
    "load_profile",
    "profile_for_url",
    "sites_dir",
]
