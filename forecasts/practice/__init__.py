"""The practice set: synthetic past questions, forecasters and resolutions.

`make demo` loads it so that a fresh install has charts, leaderboards and
calibration to look at; `python manage.py remove_demo` removes it again.
"""

PRACTICE_TAG = "practice"
