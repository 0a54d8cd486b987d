"""Moved to roleplay/i18n_extract.py (the catalogue now covers the whole program, not only the UI).

Kept so `python -m roleplay.ui.i18n_extract` still works; `make messages` runs the new module.
"""

from __future__ import annotations

import sys

from roleplay.i18n_extract import main

if __name__ == "__main__":
    sys.exit(main())
