"""Strict readers for settings taken from the environment.

A value that cannot be understood stops start-up with a message naming the
variable, instead of quietly falling back to a default.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
RATE = re.compile(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]")


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(
            f"{name} is set but names nothing; leave it unset or list values."
        )
    return items


def env_rate(name: str, default: str) -> str:
    """A rate such as ``90/m`` or ``3/h`` (count per period of s, m, h or d)."""
    raw = os.environ.get(name, default).strip()
    if not RATE.fullmatch(raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be a rate such as 90/m or 3/h (count per s, m, h or d)."
        )
    return raw
