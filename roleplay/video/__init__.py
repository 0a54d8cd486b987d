"""Video therapy recording: capture (OpenCV), sound (miniaudio), writing (PyAV).

Nothing here imports textual: a UI reads `Recorder.status()` and calls
start/stop. Modules are imported by name (`roleplay.video.recorder`) so that
importing this package stays cheap and does not load cv2 or av.
"""
