"""reslib: a bilingual (English and Burmese) resource library and search engine."""

__version__ = "0.1.0"
