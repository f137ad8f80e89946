"""The one way the product writes dates and times: "3 Sep 2026", "3 Sep 2026, 14:05".

Django reads these for every ``{{ date }}``, ``|date`` and ``|time`` without an argument, in
place of the locale's own; coordinators.tenure.day_words writes the same date in Python.
tests/test_date_formats.py fails when a template asks for another format."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
