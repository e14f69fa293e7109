"""The Trello emulator's routes, one module per kind of object."""
