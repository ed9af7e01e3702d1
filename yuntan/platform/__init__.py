"""The Django platform (平台层): settings, URLs and one folder per app."""
