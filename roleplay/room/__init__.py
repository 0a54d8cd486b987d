"""The room (issue 11): participants' phones and the projector's browser join a live session.

`room.Room` holds the session and what the pages may show, `visibility` the privacy rules,
`server` the Starlette app and the uvicorn thread, `cli` what `play --room` adds. Nothing in
roleplay.core imports this package: the room talks to the session through typed commands and
listens to its typed events.
"""
