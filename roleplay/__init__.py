"""roleplay: a psychodrama role-play trainer for peer support worker courses."""

__version__ = "0.1.0"
