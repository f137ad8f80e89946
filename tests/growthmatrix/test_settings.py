import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from growthmatrix.env import env_bool, env_int, env_list, env_rate

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-4f9a8b7c6d5e4f3a2b1c0d9e8f7",
    "ALLOWED_HOSTS": "growth.example.org",
}


def run_manage(*args, env):
    # A fresh process with only the production variables (browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE in this one, which check --deploy rightly reports).
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("word", ["maybe", "2", "yess", "TRUE!"])
def test_bad_boolean_is_an_error_not_false(monkeypatch, word):
    monkeypatch.setenv("DEBUG", word)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", default=False)


@pytest.mark.parametrize(("word", "value"), [("true", True), ("0", False), ("Off", False)])
def test_boolean_words(monkeypatch, word, value):
    monkeypatch.setenv("DEBUG", word)
    assert env_bool("DEBUG", default=not value) is value


def test_bad_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="AXES_FAILURE_LIMIT"):
        env_int("AXES_FAILURE_LIMIT", 5)
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("AXES_FAILURE_LIMIT", 5, minimum=1)


def test_empty_host_list_is_refused(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("ALLOWED_HOSTS", [])


def test_missing_secret_key_stops_production_start_up():
    result = run_manage("check", env={"DEBUG": "false", "ALLOWED_HOSTS": "x.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_maybe_stops_start_up():
    result = run_manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_unknown_time_zone_stops_start_up():
    result = run_manage("check", env={**PRODUCTION_ENV, "TIME_ZONE": "Mars/Olympus"})
    assert result.returncode != 0
    assert "TIME_ZONE" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_that_rate_limits_need_the_shared_cache():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "growthmatrix.W001" in result.stdout + result.stderr
    assert "REDIS_URL is not set" in result.stdout + result.stderr


@pytest.mark.parametrize("word", ["90", "90/minute", "0/m", "ten/m", "5/"])
def test_a_bad_rate_names_the_variable(monkeypatch, word):
    monkeypatch.setenv("RATE_LIMIT_SAVES", word)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_SAVES"):
        env_rate("RATE_LIMIT_SAVES", "90/m")


@pytest.mark.parametrize("word", ["90/m", "3/h", "1/d", "10/5m"])
def test_rates(monkeypatch, word):
    monkeypatch.setenv("RATE_LIMIT_SAVES", word)
    assert env_rate("RATE_LIMIT_SAVES", "90/m") == word


def test_development_settings_run_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


SHOW_STORES = (
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
)


def test_sessions_stay_in_the_database_without_a_shared_cache():
    result = run_manage("shell", "-c", SHOW_STORES, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "growthmatrix.sessions",  # Django's database sessions, read with SQL written once
    ]


def test_with_redis_sessions_are_read_from_it_and_written_through_to_the_database():
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = run_manage("shell", "-c", SHOW_STORES, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "growthmatrix.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
