"""The core: scenario format, loading, engine and session log.

Nothing under this package may import textual or cv2 (tests/test_architecture.py
checks it), so authors' tools, reports and crash recovery stay light.
"""
