"""Yuntan (云碳): the Yunnan product carbon footprint management platform."""

__version__ = "0.1.0"
