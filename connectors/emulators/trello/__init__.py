"""The Trello emulator: Trello's REST API over in-memory state (`app.create_app`)."""
