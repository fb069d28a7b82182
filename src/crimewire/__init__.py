"""crimewire: news reports about organized crime in, a structured, source-linked event database out."""

__version__ = "0.1.0"
