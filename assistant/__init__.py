"""French report assistant: exact figures and the passages they come from.

Importing this package is cheap: spaCy, Textual and NumPy are imported only
where they are used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
