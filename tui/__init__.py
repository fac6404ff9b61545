"""sitmon: a terminal situation monitor for a seeded armed conflict."""

__version__ = "0.1.0"
